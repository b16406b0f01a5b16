package dev.pgflip.agent.repmgrd;

/**
 * One established TCP connection of a process, as the kernel's socket diagnostics show it ({@code ss -ti}).
 *
 * @param sinceSendMs milliseconds since the process last sent data on it ({@code lastsnd})
 * @param sinceReceiveMs milliseconds since data last came back on it ({@code lastrcv})
 * @param bytesReceived bytes that came back on it since it was opened ({@code bytes_received}, absent when 0)
 */
public record PeerSocket(String localAddress, int localPort, String peerAddress, int peerPort, long sinceSendMs,
                         long sinceReceiveMs, long bytesReceived) {

    /**
     * How long the last request sent on it has waited for any answer: 0 when data came back after it was sent. A peer
     * whose kernel acknowledges while nothing above it answers (a frozen PostgreSQL) leaves this growing for as long as
     * the freeze lasts, with no TCP timer to end it. A connection nothing ever came back on is one still starting
     * (its handshake's time counts as received): 0 as well, as libpq's {@code connect_timeout} bounds it, and cutting
     * it would shorten that timeout behind the operator's back.
     */
    public long unansweredMs() {
        return bytesReceived > 0 && sinceReceiveMs > sinceSendMs ? sinceSendMs : 0;
    }

    public String peer() {
        return peerAddress + ":" + peerPort;
    }

    public String local() {
        return localAddress + ":" + localPort;
    }
}
