package dev.pgflip.agent.rejoin;

/**
 * pg_controldata output of PostgreSQL 15 (LC_ALL=C, its first 31 lines), recorded for these tests with
 * initdb, pg_basebackup and pg_ctl in a scratch directory.
 */
final class ControlDataSamples {
    private ControlDataSamples() {}

    /** A primary shut down cleanly on timeline 1. */
    static final String SHUT_DOWN_ON_1 = """
            pg_control version number:            1300
            Catalog version number:               202209061
            Database system identifier:           7715481125669753912
            Database cluster state:               shut down
            pg_control last modified:             Fri Dec  4 16:07:35 2026
            Latest checkpoint location:           0/8D55428
            Latest checkpoint's REDO location:    0/8D55428
            Latest checkpoint's REDO WAL file:    000000010000000000000008
            Latest checkpoint's TimeLineID:       1
            Latest checkpoint's PrevTimeLineID:   1
            Latest checkpoint's full_page_writes: on
            Latest checkpoint's NextXID:          0:725
            Latest checkpoint's NextOID:          16389
            Latest checkpoint's NextMultiXactId:  1
            Latest checkpoint's NextMultiOffset:  0
            Latest checkpoint's oldestXID:        716
            Latest checkpoint's oldestXID's DB:   1
            Latest checkpoint's oldestActiveXID:  0
            Latest checkpoint's oldestMultiXid:   1
            Latest checkpoint's oldestMulti's DB: 1
            Latest checkpoint's oldestCommitTsXid:0
            Latest checkpoint's newestCommitTsXid:0
            Time of latest checkpoint:            Fri Dec  4 16:07:35 2026
            Fake LSN counter for unlogged rels:   0/3E8
            Minimum recovery ending location:     0/0
            Min recovery ending loc's timeline:   0
            Backup start location:                0/0
            Backup end location:                  0/0
            End-of-backup record required:        no
            wal_level setting:                    replica
            wal_log_hints setting:                off
            """;

    /**
     * A standby promoted to timeline 2 and killed (kill -9) right after pg_ctl promote returned, 400,000 replayed rows
     * still dirty: the checkpoint that follows a promotion had not ended, so "Latest checkpoint's TimeLineID" still
     * says 1 while the node's WAL is on timeline 2.
     */
    static final String PROMOTED_TO_2_AND_KILLED = """
            pg_control version number:            1300
            Catalog version number:               202209061
            Database system identifier:           7715481125669753912
            Database cluster state:               in production
            pg_control last modified:             Fri Dec  4 16:07:35 2026
            Latest checkpoint location:           0/4000060
            Latest checkpoint's REDO location:    0/4000028
            Latest checkpoint's REDO WAL file:    000000010000000000000004
            Latest checkpoint's TimeLineID:       1
            Latest checkpoint's PrevTimeLineID:   1
            Latest checkpoint's full_page_writes: on
            Latest checkpoint's NextXID:          0:724
            Latest checkpoint's NextOID:          13572
            Latest checkpoint's NextMultiXactId:  1
            Latest checkpoint's NextMultiOffset:  0
            Latest checkpoint's oldestXID:        716
            Latest checkpoint's oldestXID's DB:   1
            Latest checkpoint's oldestActiveXID:  724
            Latest checkpoint's oldestMultiXid:   1
            Latest checkpoint's oldestMulti's DB: 1
            Latest checkpoint's oldestCommitTsXid:0
            Latest checkpoint's newestCommitTsXid:0
            Time of latest checkpoint:            Fri Dec  4 16:07:30 2026
            Fake LSN counter for unlogged rels:   0/3E8
            Minimum recovery ending location:     0/8D55458
            Min recovery ending loc's timeline:   2
            Backup start location:                0/0
            Backup end location:                  0/0
            End-of-backup record required:        no
            wal_level setting:                    replica
            wal_log_hints setting:                off
            """;
}
