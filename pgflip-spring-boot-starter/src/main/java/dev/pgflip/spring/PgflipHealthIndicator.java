package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.ClusterStatus;
import dev.pgflip.jdbc.HostStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code pgflip} in {@code /actuator/health}: UP while the writer is a writable primary, DOWN while it is not (a
 * failover under way, or the write endpoint leading to a standby). Readers are details, not the status: with every
 * reader down, reads go to the writer. It reports what the host monitors last saw, so it takes no connection and
 * never waits, unlike Boot's {@code db} indicator, which borrows one (and during a failover waits for the writer).
 *
 * <pre>
 * "pgflip": { "status": "UP", "details": {
 *   "writer": { "host": "198.18.0.100:5432", "state": "PRIMARY", "usable": true, ... },
 *   "readers": [ { "host": "198.18.0.12:5432", "state": "STANDBY", "usable": true, "replayLagMs": 0, ... }, ... ],
 *   "usableReaders": 2 } }
 * </pre>
 */
public final class PgflipHealthIndicator implements HealthIndicator {
    private final ClusterDataSource dataSource;

    public PgflipHealthIndicator(ClusterDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        ClusterStatus status = dataSource.status();
        return (status.writer().usable() ? Health.up() : Health.down())
                .withDetail("writer", details(status.writer()))
                .withDetail("readers", status.readers().stream().map(PgflipHealthIndicator::details).toList())
                .withDetail("usableReaders", status.usableReaders())
                .build();
    }

    private static Map<String, Object> details(HostStatus h) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", h.host().toString());
        d.put("state", h.state().name());
        d.put("usable", h.usable());
        d.put("replayLagMs", h.replayLag().toMillis());
        d.put("inStateForMs", h.inStateFor().toMillis());
        if (h.lsn() != null) {
            d.put("lsn", h.lsn());
        }
        if (h.lastFailure() != null) {
            d.put("lastFailure", h.lastFailure());
        }
        return d;
    }
}
