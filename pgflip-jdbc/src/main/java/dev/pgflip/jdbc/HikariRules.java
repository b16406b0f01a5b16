package dev.pgflip.jdbc;

import java.time.Duration;
import java.util.List;

/**
 * HikariCP's own rules for its pool timings, as errors. HikariCP's {@code HikariConfig.validate()} quietly replaces a
 * value it dislikes (a 10 s maxLifetime becomes 30 min, a keepalive at or past maxLifetime is turned off) with one WARN
 * per pool; pgflip opens a pool per host and renews it after each outage, so the same WARN would repeat and the setting
 * in force would not be the one written. Refusing at build names the key once instead.
 */
final class HikariRules {
    /** HikariCP's defaults (HikariConfig.MAX_LIFETIME, DEFAULT_KEEPALIVE_TIME). */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
    static final Duration KEEPALIVE_TIME = Duration.ofMinutes(2);

    private static final long MIN_IDLE_TIMEOUT_MS = 10_000;
    private static final long MIN_LIFETIME_MS = 30_000;
    private static final long MIN_KEEPALIVE_MS = 30_000;
    private static final long MIN_LEAK_THRESHOLD_MS = 2_000;

    private HikariRules() {
    }

    static void check(int maxPoolSize, int minIdle, Duration idleTimeout, Duration maxLifetime, Duration keepaliveTime,
                      Duration leakDetectionThreshold, List<String> errors) {
        boolean lifetimeKnown = zeroOrAtLeast("pgflip.pool.max-lifetime (maxLifetime)", maxLifetime, MIN_LIFETIME_MS,
                "0 (never) or >= " + MIN_LIFETIME_MS + " ms (HikariCP's minimum)", errors);
        long lifetime = lifetimeKnown ? maxLifetime.toMillis() : 0;
        if (zeroOrAtLeast("pgflip.pool.idle-timeout (idleTimeout)", idleTimeout, MIN_IDLE_TIMEOUT_MS,
                "0 (never) or >= " + MIN_IDLE_TIMEOUT_MS + " ms (HikariCP's minimum)", errors)
                && lifetime > 0 && minIdle < maxPoolSize && idleTimeout.toMillis() + 1000 > lifetime) {
            // HikariCP would turn idle eviction off altogether: a connection reaches its lifetime first.
            errors.add("pgflip.pool.idle-timeout (idleTimeout) = " + idleTimeout.toMillis() + " ms: expected at least"
                    + " 1 s less than pgflip.pool.max-lifetime (" + lifetime + " ms), or 0 (never)");
        }
        if (zeroOrAtLeast("pgflip.pool.keepalive-time (keepaliveTime)", keepaliveTime, MIN_KEEPALIVE_MS,
                "0 (never) or >= " + MIN_KEEPALIVE_MS + " ms (HikariCP's minimum)", errors)
                && lifetime > 0 && keepaliveTime.toMillis() >= lifetime) {
            errors.add("pgflip.pool.keepalive-time (keepaliveTime) = " + keepaliveTime.toMillis() + " ms: expected less"
                    + " than pgflip.pool.max-lifetime (" + lifetime + " ms), or 0 (never)");
        }
        if (zeroOrAtLeast("pgflip.pool.leak-detection-threshold (leakDetectionThreshold)", leakDetectionThreshold,
                MIN_LEAK_THRESHOLD_MS, "0 (off) or >= " + MIN_LEAK_THRESHOLD_MS + " ms (HikariCP's minimum)", errors)
                && lifetime > 0 && leakDetectionThreshold.toMillis() > lifetime) {
            errors.add("pgflip.pool.leak-detection-threshold (leakDetectionThreshold) = "
                    + leakDetectionThreshold.toMillis() + " ms: expected at most pgflip.pool.max-lifetime (" + lifetime
                    + " ms), or 0 (off)");
        }
    }

    /** True when {@code d} is valid (zero or at least the minimum); else adds the error. */
    private static boolean zeroOrAtLeast(String key, Duration d, long minMillis, String expected, List<String> errors) {
        if (d != null && (d.isZero() || d.toMillis() >= minMillis)) {
            return true;
        }
        errors.add(key + " = " + (d == null ? "null" : d.toMillis() + " ms") + ": expected " + expected);
        return false;
    }
}
