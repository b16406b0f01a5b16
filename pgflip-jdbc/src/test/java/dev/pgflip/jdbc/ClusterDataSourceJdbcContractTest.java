package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Wrapper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.CommonDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The javax.sql.DataSource contract, on a data source whose hosts are closed ports (see {@link Loopback}). */
class ClusterDataSourceJdbcContractTest {
    private static ClusterDataSource ds;

    @BeforeAll
    static void start() {
        // A 30 s connectionTimeout: a borrow that fails within seconds was bounded by the login timeout.
        ds = Loopback.closedPorts().connectionTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        ds.close();
    }

    @Test
    void theLoginTimeoutIsTheConnectionTimeoutInWholeSecondsUntilSet() throws SQLException {
        assertThat(ds.getLoginTimeout()).isEqualTo(30);
        try (ClusterDataSource shortWait = Loopback.closedPorts().connectionTimeout(Duration.ofMillis(1500)).build()) {
            assertThat(shortWait.getLoginTimeout()).as("rounded up, never 0 (no timeout)").isEqualTo(2);
        }
    }

    @Test
    void aLoginTimeoutIsKeptAndZeroGoesBackToTheConfiguredWait() throws SQLException {
        try {
            ds.setLoginTimeout(3);
            assertThat(ds.getLoginTimeout()).isEqualTo(3);
            ds.setLoginTimeout(0);
            assertThat(ds.getLoginTimeout()).isEqualTo(30);
        } finally {
            ds.setLoginTimeout(0);
        }
    }

    @Test
    void aNegativeLoginTimeoutIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> ds.setLoginTimeout(-1)).isInstanceOf(SQLException.class)
                .hasMessageContaining("loginTimeout = -1: expected seconds >= 0");
        assertThat(ds.getLoginTimeout()).isEqualTo(30);
    }

    @Test
    void aBorrowWaitsForAWriterNoLongerThanTheLoginTimeout() throws Exception {
        try {
            ds.setLoginTimeout(1);
            Connection c = ds.getConnection();
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    c.createStatement();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // Bounded so that a wait to the configured 30 s fails the test rather than slowing it.
            assertThat(failure.get(15, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("no writable primary at " + Loopback.WRITE + " within the deadline");
        } finally {
            ds.setLoginTimeout(0);
        }
    }

    @Test
    void itUnwrapsToEveryTypeItIs() throws SQLException {
        for (Class<?> type : new Class<?>[] {ClusterDataSource.class, DataSource.class, CommonDataSource.class,
                Wrapper.class, Closeable.class, AutoCloseable.class}) {
            assertThat(ds.isWrapperFor(type)).as(type.getName()).isTrue();
            assertThat(ds.unwrap(type)).as(type.getName()).isSameAs(ds);
        }
    }

    @Test
    void itHandsOutNoPoolOfItsOwnAndSaysWhy() {
        assertThat(ds.isWrapperFor(HikariDataSource.class)).isFalse();
        assertThat(ds.isWrapperFor(null)).isFalse();
        assertThatThrownBy(() -> ds.unwrap(HikariDataSource.class)).isInstanceOf(SQLException.class)
                .hasMessageContaining("com.zaxxer.hikari.HikariDataSource")
                .hasMessageContaining("renewed after every outage");
        assertThatThrownBy(() -> ds.unwrap(null)).isInstanceOf(SQLException.class);
    }
}
