package dev.pgflip.agent.repmgrd;

/**
 * One established TCP connection of a process, as the kernel's socket diagnostics show it ({@code ss -ti}).
 *
 * @param sinceSendMs milliseconds since the process last sent data on it ({@code lastsnd})
 * @param sinceReceiveMs milliseconds since data last came back on it ({@code lastrcv})
 */
public record PeerSocket(String localAddress, int localPort, String peerAddress, int peerPort, long sinceSendMs,
                         long sinceReceiveMs) {

    /**
     * How long the last request sent on it has waited for any answer: 0 when data came back after it was sent. A peer
     * whose kernel acknowledges while nothing above it answers (a frozen PostgreSQL) leaves this growing for as long as
     * the freeze lasts, with no TCP timer to end it.
     */
    public long unansweredMs() {
        return sinceReceiveMs > sinceSendMs ? sinceSendMs : 0;
    }

    public String peer() {
        return peerAddress + ":" + peerPort;
    }

    public String local() {
        return localAddress + ":" + localPort;
    }
}
