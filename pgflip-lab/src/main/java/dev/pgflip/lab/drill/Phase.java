package dev.pgflip.lab.drill;

import java.util.Locale;

/**
 * A step a fault takes after its injection (or that the drill verified), recorded with its time so the checks and the
 * timeline can place it: the times are the drill's own, taken when the step's command returned.
 */
public enum Phase {
    /** pg_receivewal was seen streaming from the primary (pg_stat_replication), before the standby was killed. */
    CDC_STREAMING("pg_receivewal streaming from the primary (pg_stat_replication)"),
    /** pair-heal-kill: the primary and the last standby cut from each other (before the load). */
    PAIR_CUT("the primary and the last standby cut from each other (before the load)"),
    /** pair-heal-kill: after the heal, every standby's repmgrd saw its upstream within 5 s again. */
    REPMGRDS_LOOPING("every standby's repmgrd sees its upstream again (repmgr.get_upstream_last_seen() < 5 s)"),
    /** The fault was undone inside the run: the link is up again, the cut healed. */
    HEALED("fault undone (link up again / cut healed / continued)"),
    /** stale-restart: the promoted standby killed in turn. */
    SECOND_KILL("the new primary killed too (kill -9)"),
    /** stale-restart: the first primary's PostgreSQL started again from its old data directory. */
    RESTARTED("the old primary's PostgreSQL started again (old data directory)"),
    /** witness-after-failover: the witness killed once the standby had taken over. */
    WITNESS_KILLED("the witness killed (kill -9)"),
    /** standby-behind: the first standby's walreceiver stopped (before the load). */
    STANDBY_STOPPED_STREAMING("the first standby stopped streaming (primary_conninfo emptied)"),
    /** api-slow: the old primary rejoined and streams while the API is still slow. */
    OLD_PRIMARY_STREAMING("old primary rejoined, streaming (API still slow)"),
    /** api-slow: the latency fault cleared. */
    API_LATENCY_CLEARED("DigitalOcean API answers without delay again"),
    /** hand-promote: pg_ctl promote returned on the standby (it left recovery). */
    PROMOTED_BY_HAND("the standby promoted by hand (pg_ctl promote returned)"),
    /** hand-promote: after the load, repmgr primary register --force on it and its repmgrd restarted. */
    PROMOTION_REGISTERED("the promotion recorded in repmgr (primary register --force), its repmgrd restarted"),
    /** freeze-mid-query: the primary frozen once every standby's repmgrd waited on a stopped backend of it. */
    FROZEN_MID_QUERY("the primary frozen while every standby's repmgrd waited on its answer"),
    /** thaw-at-election: a standby's repmgrd logged that it won the election (the primary frozen). */
    ELECTION_WON("a standby's repmgrd won the election and runs its promote hook"),
    /** thaw-at-election: a standby's promotion seen claimed on the witness. */
    PROMOTION_CLAIMED("a standby's promotion claimed on the witness"),
    /** switchover: pgflip switchover exited 0 (the standby is the primary, the old primary its standby). */
    SWITCHOVER_DONE("pgflip switchover exited 0");

    private final String description;

    Phase(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The key in drill.json's {@code phases}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
