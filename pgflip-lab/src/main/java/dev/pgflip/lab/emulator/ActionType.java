package dev.pgflip.lab.emulator;

/** What an IP action does. The request says {@code assign}; the action's {@code type} says {@code assign_ip}. */
public enum ActionType {
    ASSIGN_IP("assign_ip"),
    UNASSIGN_IP("unassign_ip");

    private final String wireName;

    ActionType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the action's {@code type} field in the API. */
    public String wireName() {
        return wireName;
    }
}
