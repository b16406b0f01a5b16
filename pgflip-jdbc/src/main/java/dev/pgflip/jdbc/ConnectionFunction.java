package dev.pgflip.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on one connection returning a value, for {@link ClusterDataSource#inTransaction(ConnectionFunction)}. */
@FunctionalInterface
public interface ConnectionFunction<T> {
    T apply(Connection connection) throws SQLException;
}
