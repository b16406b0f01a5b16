package dev.pgflip.agent.digitalocean;

import java.util.Locale;

/** What one request to the API is for: a bounded name for its metrics (the paths carry IPs and ids). */
public enum ApiOperation {
    GET_IP, LIST_IPS, LIST_DROPLETS, GET_DROPLET, ACCOUNT, ASSIGN, UNASSIGN, PROBE_WRITE_SCOPE, GET_ACTION;

    /** e.g. {@code get_ip}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
