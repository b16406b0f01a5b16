package dev.pgflip.jdbc;

import java.util.Objects;

/**
 * One PostgreSQL endpoint, host and port: an immutable value. {@link #parse(String)} reads {@code host},
 * {@code host:port} or {@code [v6-address]:port}; the port defaults to 5432.
 */
public final class HostSpec {
    public static final int DEFAULT_PORT = 5432;

    private final String host;
    private final int port;

    public HostSpec(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host: expected host[:port], e.g. 198.18.0.100:5432");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is out of range: expected 1..65535");
        }
        this.host = host;
        this.port = port;
    }

    /** Parses {@code host[:port]}; the message of a failure says what was expected. */
    public static HostSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty host: expected host[:port], e.g. 198.18.0.100:5432");
        }
        String t = text.trim();
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has no closing ']': expected [v6-address]:port");
            }
            host = t.substring(1, close);
            if (close + 1 < t.length()) {
                if (t.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "': expected [v6-address]:port");
                }
                port = t.substring(close + 2);
            }
        } else if (t.indexOf(':') >= 0) {
            if (t.indexOf(':') != t.lastIndexOf(':')) {
                throw new IllegalArgumentException("'" + text + "': write an IPv6 address as [address]:port");
            }
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        }
        if (port == null) {
            return new HostSpec(host, DEFAULT_PORT);
        }
        try {
            return new HostSpec(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + port + "' of '" + text + "' is not a number: expected 1..65535", e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The pgjdbc URL of one database on this host. */
    public String jdbcUrl(String database) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostSpec other && other.port == port && other.host.equals(host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
