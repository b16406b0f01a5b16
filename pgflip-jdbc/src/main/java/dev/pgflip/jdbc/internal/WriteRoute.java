package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;

/** Where a write goes as {@link WriteRouter} decided it. */
public sealed interface WriteRoute {
    /** Through the write endpoint: it leads to a writable primary on the newest timeline. */
    WriteRoute ENDPOINT = new Endpoint();
    /** Nowhere yet: wait (bounded) and decide again. */
    WriteRoute WAIT = new Wait();

    /** Its methods are written out, as {@link Direct}'s are: the first comparison may come as the endpoint returns. */
    record Endpoint() implements WriteRoute {
        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Override
        public String toString() {
            return "Endpoint[]";
        }
    }

    /**
     * Straight to a host of the read list, the primary on a newer timeline than the endpoint's, until it catches up.
     * Its methods are written out: a record's generated ones are linked at their first call (an invokedynamic
     * bootstrap), and this record's first call is the first failover's first write. Measured in the kill drill with
     * {@code -Xlog:class+load}: 85 ms of method-handle classes spun between the promotion and the first direct write,
     * in the first failover of each JVM only (an application's every failover is such a first one).
     */
    record Direct(HostSpec host) implements WriteRoute {
        @Override
        public boolean equals(Object o) {
            return o instanceof Direct other && other.host.equals(host);
        }

        @Override
        public int hashCode() {
            return host.hashCode();
        }

        @Override
        public String toString() {
            return "Direct[host=" + host + "]";
        }
    }

    /** Its methods are written out, as {@link Direct}'s are. */
    record Wait() implements WriteRoute {
        @Override
        public boolean equals(Object o) {
            return o instanceof Wait;
        }

        @Override
        public int hashCode() {
            return 2;
        }

        @Override
        public String toString() {
            return "Wait[]";
        }
    }
}
