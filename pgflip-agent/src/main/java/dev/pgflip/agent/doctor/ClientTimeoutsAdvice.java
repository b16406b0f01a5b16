package dev.pgflip.agent.doctor;

/**
 * Advice, not a check: the application side of a failover. When the floating IP moves, a client still waiting on a
 * connection to a frozen or cut-off old primary hears nothing back; without timeouts it waits for the kernel's TCP
 * retransmissions (about 15 minutes with Linux defaults) before it tries the new primary.
 */
final class ClientTimeoutsAdvice {
    private ClientTimeoutsAdvice() {}

    static CheckResult advice() {
        return CheckResult.info("client_timeouts", "clients: set pgjdbc connectTimeout=2, socketTimeout (above your"
                + " longest statement) and tcpKeepAlive=true, or use pgflip-jdbc's ClusterDataSource; without them a"
                + " connection to a frozen old primary hangs for up to ~15 min of TCP retransmissions after the IP moves");
    }
}
