package dev.pgflip.agent.time;

import java.time.Duration;

/** Sleeps; a seam so retry and polling tests run without real waiting. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration d) throws InterruptedException;
}
