package dev.pgflip.lab.emulator;

/** An action's {@code status} as the API reports it. */
public enum ActionStatus {
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    ERRORED("errored");

    private final String wireName;

    ActionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
