package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.ClusterConfig;
import java.util.Properties;

/**
 * The pgjdbc properties of every pooled connection. pgjdbc 42.7 has no TCP user timeout and only an on/off keepalive
 * (the kernel's keepalive timers apply), so a silent host is caught by three layers: {@code socketTimeout} as the
 * backstop for any read, {@code tcpKeepAlive} for idle sockets, and the HostMonitor, which aborts lent connections as
 * soon as the host stops answering its probe. Pass-through properties override these defaults, except
 * {@code targetServerType}: the writer always demands a primary so a FLIP still on a demoted node is refused (a direct
 * writer pool does not: its host is checked before every lending instead, see {@link HostPool#direct}).
 */
public final class PgjdbcProperties {
    static final String CONNECT_TIMEOUT_SECONDS = "2";
    static final String LOGIN_TIMEOUT_SECONDS = "3";
    static final String SOCKET_TIMEOUT_SECONDS = "30";

    private PgjdbcProperties() {
    }

    /** @param inRecoveryToo a direct writer pool's: its sessions are opened on a standby before its promotion */
    public static Properties forPool(ClusterConfig config, Role role, boolean inRecoveryToo) {
        Properties p = new Properties();
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        p.setProperty("loginTimeout", LOGIN_TIMEOUT_SECONDS);
        p.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        // pg_stat_activity tells a direct writer session from a writer session through the endpoint.
        p.setProperty("ApplicationName", "pgflip-" + role.label() + (inRecoveryToo ? "-direct" : ""));
        config.properties().forEach(p::setProperty);
        p.setProperty("targetServerType", role == Role.WRITER && !inRecoveryToo ? "primary" : "any");
        return p;
    }

    /** The monitor's own probe connection: short timeouts, its own application name. */
    public static Properties forProbe(ClusterConfig config) {
        Properties p = new Properties();
        config.properties().forEach(p::setProperty);
        p.setProperty("user", config.user());
        if (config.password() != null) {
            p.setProperty("password", config.password().reveal());
        }
        long seconds = Math.max(1, (config.probeTimeout().toMillis() + 999) / 1000);
        p.setProperty("connectTimeout", Long.toString(seconds));
        p.setProperty("loginTimeout", Long.toString(seconds + 1));
        p.setProperty("socketTimeout", Long.toString(seconds));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "pgflip-monitor");
        p.setProperty("targetServerType", "any");
        // The probe reads transaction_read_only as the server's default: a pass-through readOnly must not colour it.
        p.setProperty("readOnly", "false");
        return p;
    }
}
