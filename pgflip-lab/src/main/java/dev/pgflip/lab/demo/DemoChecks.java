package dev.pgflip.lab.demo;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.drill.RunResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the primary failure test must prove, each check with the fact that decided it. */
public final class DemoChecks {
    public record Check(String name, boolean passed, String detail) {}

    private DemoChecks() {}

    public static List<Check> after(Lab lab, RunResult run) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("every acknowledged write is on the new primary " + run.newPrimary(),
                run.lostAckedWrites() == 0, run.ackedWrites() + " acknowledged, " + run.lostAckedWrites() + " missing"));
        checks.add(new Check("the floating IP is on the one writable node", run.flipOnNewPrimary(),
                "interface and DigitalOcean API both say " + (run.flipOnNewPrimary() ? run.newPrimary() : "something else")));
        checks.add(new Check("writes resumed through pgflip", run.writeUnavailableMs() != null,
                run.writeUnavailableMs() == null ? "no write reached the new primary" : "after " + run.writeUnavailableMs() + " ms"));
        checks.add(new Check("never two writable nodes at once", run.dualWritableMs() == 0,
                "a probe wrote to every node every 100 ms: " + run.dualWritableMs() + " ms with two acknowledging"));
        LabNode old = lab.topology().node(run.oldPrimary());
        String oldState = writableState(lab, old);
        checks.add(new Check("the old primary " + old.name() + " accepts no writes", !oldState.equals("writable"), oldState));
        return checks;
    }

    private static String writableState(Lab lab, LabNode node) {
        try (Connection c = lab.appSql().connect(node.address(), "postgres", 1); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1) ? "read-only (in recovery)" : "writable";
        } catch (SQLException e) {
            return "not answering (" + e.getSQLState() + ")";
        }
    }
}
