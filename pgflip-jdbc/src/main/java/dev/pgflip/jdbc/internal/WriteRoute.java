package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;

/** Where a write goes as {@link WriteRouter} decided it. */
public sealed interface WriteRoute {
    /** Through the write endpoint: it leads to a writable primary on the newest timeline. */
    WriteRoute ENDPOINT = new Endpoint();
    /** Nowhere yet: wait (bounded) and decide again. */
    WriteRoute WAIT = new Wait();

    record Endpoint() implements WriteRoute {}

    /** Straight to a host of the read list, the primary on a newer timeline than the endpoint's, until it catches up. */
    record Direct(HostSpec host) implements WriteRoute {}

    record Wait() implements WriteRoute {}
}
