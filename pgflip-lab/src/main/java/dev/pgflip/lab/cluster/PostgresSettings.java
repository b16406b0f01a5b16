package dev.pgflip.lab.cluster;

import java.util.List;

/** postgresql.conf and pg_hba.conf lines for a lab node; the same on every node so a clone needs no edit. */
public final class PostgresSettings {
    private PostgresSettings() {}

    /**
     * Settings repmgr needs for failover and rejoin (wal_log_hints for pg_rewind, slots, hot standby). No Unix
     * socket: the nodes share one file system, and TCP inside each namespace keeps them apart.
     */
    public static String postgresqlConf() {
        return String.join("\n", List.of(
                "",
                "# --- pgflip lab ---",
                "listen_addresses = '*'",
                "port = 5432",
                "unix_socket_directories = ''",
                "max_connections = 100",
                "shared_buffers = 32MB",
                "wal_level = replica",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "hot_standby = on",
                "wal_log_hints = on",
                "wal_keep_size = 256MB",
                // A standby that vanishes silently (link down) keeps its walsender "streaming" for the default 60 s,
                // and synchronous commits wait on it all that time: 3 s lets the degrade rule see it gone.
                "wal_sender_timeout = 3s",
                // A standby tells its primary where it is every second, not every 10 s: over a silent link that reply
                // goes unacknowledged and tcp_user_timeout ends the stream within about 2 s, so the promote hook of
                // another standby soon sees it no longer streams from the lost primary (PromoteWrapper.siblingCheck).
                "wal_receiver_status_interval = 1s",
                // A frozen primary (SIGSTOP, a hung disk) keeps its TCP connections: the kernel acknowledges, nothing
                // answers, and tcp_user_timeout never fires. Only the receiver's own timeout ends such a stream, after
                // pinging the sender at half of it; with the default 60 s the other standby "streamed" from the frozen
                // primary past the promote hook's 10 s wait, the hook refused, and nothing was promoted (drill freeze,
                // two standbys, 2026-12-05).
                "wal_receiver_timeout = 5s",
                // That same tcp_user_timeout ends the stream over a link down for only 0.8 s, and the primary's old
                // walsender keeps the replication slot until its own retransmission draws a reset (about 1.4 s in):
                // the standby's immediate retry is refused ("slot is active") and the next came 5 s later, holding
                // synchronous commits until the degrade rule released them (a blip paused writes 3.1 s).
                "wal_retrieve_retry_interval = 200ms",
                "shared_preload_libraries = 'repmgr'",
                "password_encryption = 'scram-sha-256'",
                "log_line_prefix = '%m [%p] %q%u@%d '",
                "log_connections = off",
                ""));
    }

    /** Password authentication (SCRAM) everywhere, never trust; the lab subnet and the namespace's loopback only. */
    public static String pgHba(String subnetCidr) {
        return String.join("\n", List.of(
                "# TYPE  DATABASE     USER  ADDRESS         METHOD",
                "host    all          all   127.0.0.1/32    scram-sha-256",
                "host    replication  all   127.0.0.1/32    scram-sha-256",
                "host    all          all   " + subnetCidr + "  scram-sha-256",
                "host    replication  all   " + subnetCidr + "  scram-sha-256",
                ""));
    }
}
