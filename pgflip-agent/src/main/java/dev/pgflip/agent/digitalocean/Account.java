package dev.pgflip.agent.digitalocean;

/**
 * {@code GET /v2/account}: whose token this is. {@code status} is active, warning or locked; a locked account cannot
 * run actions, so a floating IP could not be moved.
 */
public record Account(String uuid, String status, String statusMessage) {
    public static final String ACTIVE = "active";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
