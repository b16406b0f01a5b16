package dev.pgflip.lab.jdbc;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.lab.LabFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The seed's configuration on the lab, and small checks shared by the pgflip-jdbc lab tests. */
final class LabDataSources {
    private LabDataSources() {
    }

    /** The seed: write through the FLIP, read standby first and primary as last resort, pool {max: 10, idle: 30000}. */
    static ClusterConfig.Builder seed() {
        return ClusterDataSource.builder()
                .write(LabFixture.FLIP + ":5432")
                .read(LabFixture.N2 + ":5432", LabFixture.N1 + ":5432")
                .database("postgres").user("postgres").password("123456")
                .maxPoolSize(10).idleTimeout(Duration.ofSeconds(30));
    }

    /** {@code pg_is_in_recovery()} and the server address, through the given connection. */
    static String where(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), host(inet_server_addr())")) {
            rs.next();
            return (rs.getBoolean(1) ? "standby@" : "primary@") + rs.getString(2);
        }
    }

    /** Whether the FLIP accepts a TCP connection on 5432 right now (within 100 ms). */
    static boolean flipAcceptsTcp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LabFixture.FLIP, 5432), 100);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the FLIP answers as a primary right now, checked the way a test observer would (not via pgflip). */
    static boolean flipAnswersAsPrimary() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LabFixture.FLIP, 5432), 100);
        } catch (IOException e) {
            return false;
        }
        try (Connection c = LabFixture.connect(LabFixture.FLIP); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return !rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** See {@link dev.pgflip.lab.Await#awaitTrue}. */
    static void awaitTrue(dev.pgflip.lab.Await.Check check, int seconds, String what) throws Exception {
        dev.pgflip.lab.Await.awaitTrue(check, seconds, what);
    }
}
