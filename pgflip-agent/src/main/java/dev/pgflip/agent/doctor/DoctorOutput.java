package dev.pgflip.agent.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;

/** Renders a {@link DoctorReport} for people (one line per check, the fix indented below a failure) or as JSON. */
public final class DoctorOutput {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public enum Format { TEXT, JSON }

    private DoctorOutput() {}

    public static String render(DoctorReport report, Format format, Charset charset) {
        return format == Format.JSON ? json(report) : text(report, charset.newEncoder().canEncode("✓✗"));
    }

    /**
     * <pre>
     * ✓ repmgrd runs (pid 4242, not paused)
     * ✗ token file /etc/pgflip/do-token has mode 0644: group or others can read the DigitalOcean token
     *     fix: chmod 600 /etc/pgflip/do-token
     * </pre>
     */
    static String text(DoctorReport report, boolean unicode) {
        StringBuilder out = new StringBuilder();
        int width = unicode ? 1 : 4;
        for (CheckResult r : report.results()) {
            out.append(String.format("%-" + width + "s %s%n", r.status().mark(unicode), r.message()));
            r.fix().ifPresent(fix -> out.append(" ".repeat(width + 3)).append("fix: ").append(fix).append(System.lineSeparator()));
        }
        out.append(System.lineSeparator()).append(report.passed()).append(" passed, ").append(report.failures())
                .append(report.failures() == 1 ? " problem" : " problems").append(" found.").append(System.lineSeparator());
        return out.toString();
    }

    static String json(DoctorReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("passed", report.passed());
        root.put("failed", report.failures());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult r : report.results()) {
            ObjectNode c = checks.addObject();
            c.put("check", r.check());
            c.put("status", r.status().key());
            c.put("message", r.message());
            r.fix().ifPresent(fix -> c.put("fix", fix));
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the doctor report as JSON", e);
        }
    }
}
