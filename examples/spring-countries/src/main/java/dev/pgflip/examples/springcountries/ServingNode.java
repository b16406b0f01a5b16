package dev.pgflip.examples.springcountries;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * Which PostgreSQL node served a transaction, as its own connection answers: the address the server accepted it on
 * ({@code inet_server_addr()}: the floating IP for writes through it), whether the node is a standby
 * ({@code pg_is_in_recovery()}), and the node's name, taken from its data directory ({@code <lab>/n2/data} → n2)
 * when the user may read it (a superuser or a member of {@code pg_read_all_settings}; else null).
 */
public record ServingNode(String node, String address, @JsonProperty("in_recovery") boolean inRecovery) {

    /** Null-safe: the lab keeps each node's data in {@code <lab dir>/<node>/data}; elsewhere the parent's name. */
    static String nodeName(String dataDirectory) {
        if (dataDirectory == null) {
            return null;
        }
        Path parent = Path.of(dataDirectory).getParent();
        return parent == null || parent.getFileName() == null ? dataDirectory : parent.getFileName().toString();
    }

    @JsonProperty("role")
    public String role() {
        return inRecovery ? "standby" : "primary";
    }
}
