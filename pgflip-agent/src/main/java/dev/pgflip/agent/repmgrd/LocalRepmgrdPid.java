package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** The PID this node's repmgrd registered in shared memory ({@code repmgr.get_repmgrd_pid()}), on a kept connection. */
public final class LocalRepmgrdPid implements Supplier<OptionalLong> {
    private final KeptConnection local;

    public LocalRepmgrdPid(KeptConnection local) {
        this.local = local;
    }

    @Override
    public OptionalLong get() {
        return local.use("cannot read repmgrd's PID on this node", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT repmgr.get_repmgrd_pid()")) {
                rs.next();
                long pid = rs.getLong(1);
                return rs.wasNull() || pid <= 0 ? OptionalLong.empty() : OptionalLong.of(pid);
            }
        });
    }
}
