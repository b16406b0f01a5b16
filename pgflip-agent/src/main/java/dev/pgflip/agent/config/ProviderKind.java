package dev.pgflip.agent.config;

/** How the floating IP is moved: {@code flip.provider}. */
public enum ProviderKind {
    DIGITALOCEAN("digitalocean"),
    LOCAL("local"),
    EXEC("exec");

    private final String key;

    ProviderKind(String key) {
        this.key = key;
    }

    /** The spelling used in the YAML file. */
    public String key() {
        return key;
    }
}
