package dev.pgflip.jdbc;

import java.util.List;

/**
 * Every host of a {@link ClusterDataSource} as the monitors last saw them: the writer, then the readers in their
 * configured order. Taking it costs no connection and never blocks.
 *
 * <pre>{@code
 * ClusterStatus s = dataSource.status();
 * if (!s.writer().usable()) { ... }   // a failover is under way, or the write endpoint leads nowhere writable
 * }</pre>
 */
public record ClusterStatus(HostStatus writer, List<HostStatus> readers) {

    public ClusterStatus {
        readers = List.copyOf(readers);
    }

    /** Readers pgflip routes reads to now; when none is, reads go to the writer. */
    public long usableReaders() {
        return readers.stream().filter(HostStatus::usable).count();
    }
}
