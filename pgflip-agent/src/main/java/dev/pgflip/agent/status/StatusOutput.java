package dev.pgflip.agent.status;

/** Renders a {@link StatusReport} as a table for people or as JSON. */
public final class StatusOutput {
    /** {@code --output}. */
    public enum Format { TEXT, JSON }

    private StatusOutput() {}

    public static String render(StatusReport report, Format format) {
        return format == Format.JSON ? StatusJson.render(report) : StatusTable.render(report);
    }
}
