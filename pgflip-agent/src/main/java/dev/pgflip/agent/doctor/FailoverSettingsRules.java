package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.db.SynchronousStandbyNames;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What failover needs from PostgreSQL's settings, judged on the running value and on the one a pending restart brings
 * (see {@link ServerSetting#holds}). Pure: the settings are read elsewhere, so every rule is tested on plain maps.
 *
 * @param useReplicationSlots repmgr.conf's use_replication_slots, unknown without a repmgr.conf
 * @param dataNodes primary and standbys in repmgr.nodes (slots: one per standby)
 * @param witness this node is repmgr's witness: it never replicates, is never promoted nor rewound
 */
record FailoverSettingsRules(Map<String, ServerSetting> settings, Optional<Boolean> useReplicationSlots, long dataNodes,
                             Optional<ReplicationConfig> replication, String nodeName, boolean witness, Path configFile) {

    List<CheckResult> check() {
        if (witness) {
            return List.of(sharedPreloadLibraries(), CheckResult.skipped("replication_settings", nodeName
                    + " is the witness: wal_log_hints, slots, hot_standby and synchronous replication do not apply"));
        }
        return List.of(walLogHints(), replicationSlots(), hotStandby(), synchronousReplication(), sharedPreloadLibraries());
    }

    private ServerSetting setting(String name) {
        return settings.getOrDefault(name, ServerSetting.of(name, ""));
    }

    private static String restartFix(String line) {
        return "set " + line + " in postgresql.conf (or ALTER SYSTEM SET), then restart PostgreSQL";
    }

    /** pg_rewind, which 'pgflip rejoin' and 'repmgr node rejoin --force-rewind' use, needs hint bits in the WAL. */
    CheckResult walLogHints() {
        ServerSetting hints = setting("wal_log_hints");
        if (setting("data_checksums").isOn()) {
            return CheckResult.ok("wal_log_hints", "data checksums are on: pg_rewind can rewind this node after a failover");
        }
        if (hints.isOn()) {
            return CheckResult.ok("wal_log_hints", hints.describe() + ": pg_rewind can rewind this node after a failover");
        }
        return CheckResult.fail("wal_log_hints", hints.describe() + " and no data checksums: pg_rewind cannot rewind this"
                + " node, so a failed old primary cannot rejoin without a full clone", restartFix("wal_log_hints = on"));
    }

    CheckResult replicationSlots() {
        ServerSetting slots = setting("max_replication_slots");
        if (useReplicationSlots.isEmpty()) {
            return CheckResult.ok("replication_slots", slots.describe() + " (use_replication_slots unknown: no repmgr.conf)");
        }
        if (!useReplicationSlots.get()) {
            return CheckResult.ok("replication_slots", "use_replication_slots is off in repmgr.conf: standbys rely on"
                    + " wal_keep_size, " + slots.describe());
        }
        long needed = Math.max(1, dataNodes - 1);
        if (slots.holds(v -> parseLong(v) >= needed)) {
            return CheckResult.ok("replication_slots", "use_replication_slots=yes, " + slots.describe()
                    + " (at least " + needed + " for the other data node" + (needed == 1 ? "" : "s") + ")");
        }
        return CheckResult.fail("replication_slots", "use_replication_slots=yes but " + slots.describe()
                + ": a standby cannot get its slot after a failover (at least " + needed + " needed)",
                restartFix("max_replication_slots = " + Math.max(needed, 10)));
    }

    /** Standbys must accept connections: repmgrd monitors them, and pgflip and pgflip-jdbc ask their role. */
    CheckResult hotStandby() {
        ServerSetting hot = setting("hot_standby");
        if (hot.isOn()) {
            return CheckResult.ok("hot_standby", hot.describe() + ": a standby answers repmgrd, pgflip and readers");
        }
        return CheckResult.fail("hot_standby", hot.describe() + ": as a standby this node refuses connections, so"
                + " repmgrd cannot monitor it and pgflip cannot see its role", restartFix("hot_standby = on"));
    }

    CheckResult synchronousReplication() {
        ServerSetting names = setting("synchronous_standby_names");
        ServerSetting commit = setting("synchronous_commit");
        if (replication.isEmpty()) {
            if (!names.holds(String::isEmpty)) {
                String value = names.running().isEmpty() ? names.effective() : names.running();
                return CheckResult.fail("synchronous_replication", names.describe() + " without a replication: section in "
                        + configFile + ": when the standby fails, every commit on the primary waits for it forever",
                        "add replication: {synchronous_standby_names: \"" + value + "\"} to " + configFile
                                + " so 'pgflip watch' degrades it, or set synchronous_standby_names = ''");
            }
            return CheckResult.ok("synchronous_replication", "asynchronous replication (no replication: section): a"
                    + " failover may lose the last acknowledged commits");
        }
        String wanted = replication.get().synchronousStandbyNames();
        if (!commit.holds(v -> !v.equals("off") && !v.equals("local"))) {
            return CheckResult.fail("synchronous_replication", commit.describe() + ": commits do not wait for the standby,"
                    + " although replication.synchronous_standby_names is '" + wanted + "'",
                    "set synchronous_commit = on (or remote_write/remote_apply) in postgresql.conf and reload");
        }
        if (!SynchronousStandbyNames.parse(wanted).includes(nodeName)) {
            return CheckResult.fail("synchronous_replication", "replication.synchronous_standby_names '" + wanted
                    + "' does not name " + nodeName + ": while " + nodeName + " is the standby, the primary never counts"
                    + " it as synchronous", "list every data node's repmgr node_name in replication.synchronous_standby_names"
                    + " in " + configFile);
        }
        return CheckResult.ok("synchronous_replication", "synchronous replication kept by pgflip watch: '" + wanted
                + "' while a standby streams (here now: " + (names.running().isEmpty() ? "''" : "'" + names.running() + "'")
                + "), " + commit.describe());
    }

    CheckResult sharedPreloadLibraries() {
        if (!settings.containsKey("shared_preload_libraries")) {
            // pg_settings hides it from a user that is neither superuser nor in pg_read_all_settings (seen on the lab
            // after ALTER ROLE repmgr NOSUPERUSER): the superuser check reports that cause once.
            return CheckResult.skipped("shared_preload_libraries", "shared_preload_libraries not checked: the user cannot"
                    + " read it (superuser or pg_read_all_settings needed)");
        }
        ServerSetting libs = setting("shared_preload_libraries");
        boolean repmgr = libs.holds(v -> Arrays.stream(v.split(",")).map(String::strip)
                .map(s -> s.replace("\"", "")).anyMatch(s -> s.equals("repmgr")));
        if (repmgr) {
            return CheckResult.ok("shared_preload_libraries", libs.describe() + ": repmgrd can keep its state in this node");
        }
        return CheckResult.fail("shared_preload_libraries", libs.describe() + " lacks repmgr: repmgrd cannot run here",
                restartFix("shared_preload_libraries = 'repmgr'"));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
