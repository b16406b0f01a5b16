package dev.pgflip.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on one connection, for {@link ClusterDataSource#inTransaction(ConnectionConsumer)}. */
@FunctionalInterface
public interface ConnectionConsumer {
    void accept(Connection connection) throws SQLException;
}
