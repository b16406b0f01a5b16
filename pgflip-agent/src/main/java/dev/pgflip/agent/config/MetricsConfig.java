package dev.pgflip.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code metrics}: where {@code pgflip watch} serves its Prometheus metrics ({@code GET /metrics}). No section, no
 * server and no port: metrics are off by default.
 *
 * @param listen {@code metrics.listen}, an IP address and port, e.g. {@code 127.0.0.1:9187}
 */
public record MetricsConfig(InetSocketAddress listen) {
    /** What {@code metrics.listen} accepts, for error messages and the docs. */
    public static final String LISTEN_FORMS = "HOST:PORT with HOST an IP address (an IPv4 address like 127.0.0.1, or an"
            + " IPv6 one in brackets like [::1]; no host names) and PORT 1-65535, e.g. 127.0.0.1:9187";

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[0-9.]+):([0-9]{1,5})");

    /**
     * The address in {@code text}, or empty when it is not in {@link #LISTEN_FORMS}. Only IP literals are accepted, so
     * nothing is resolved: the address bound is the one written.
     */
    static Optional<InetSocketAddress> parseListen(String text) {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String host = m.group(1);
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535 || !host.startsWith("[") && !Ipv4.isValid(host)) {
            return Optional.empty();
        }
        try {
            // A literal (dotted quad checked above, or bracketed with only hex digits, colons and dots): no lookup.
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** e.g. {@code 127.0.0.1:9187} or {@code [::1]:9187}. */
    public String describe() {
        return hostPort(listen);
    }

    /** An address as {@code metrics.listen} writes it: {@code 127.0.0.1:9187}, {@code [::1]:9187}. */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
