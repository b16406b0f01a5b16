package dev.pgflip.agent.doctor;

/** How one doctor check came out. Only {@link #FAIL} counts towards the exit code. */
public enum CheckStatus {
    OK("✓", "ok"),
    FAIL("✗", "FAIL"),
    /** Not checked because something it needs failed or does not apply (named in the message). */
    SKIPPED("-", "skip"),
    /** Advice, never a failure. */
    INFO("i", "info");

    private final String symbol;
    private final String ascii;

    CheckStatus(String symbol, String ascii) {
        this.symbol = symbol;
        this.ascii = ascii;
    }

    /** The mark in front of the line: ✓/✗ where the terminal can show them, else ok/FAIL. */
    public String mark(boolean unicode) {
        return unicode ? symbol : ascii;
    }

    /** The JSON value. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
