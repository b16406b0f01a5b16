package dev.pgflip.agent.digitalocean;

/**
 * The two names of DigitalOcean's movable IPv4 address: "Floating IP" (old) and "Reserved IP" (new). Same
 * resource; the paths and the JSON keys differ.
 */
public enum IpResource {
    FLOATING_IPS("floating_ips", "floating_ip"),
    RESERVED_IPS("reserved_ips", "reserved_ip");

    private final String collection;
    private final String single;

    IpResource(String collection, String single) {
        this.collection = collection;
        this.single = single;
    }

    /** Path segment and list key, e.g. {@code floating_ips}; also the config value. */
    public String collection() {
        return collection;
    }

    /** Key of one object, e.g. {@code floating_ip}; also the metadata path segment and action resource_type. */
    public String single() {
        return single;
    }

    /** {@code /v2/floating_ips/1.2.3.4} */
    public String path(String ip) {
        return "/v2/" + collection + "/" + ip;
    }

    /** Human name for messages. */
    public String displayName() {
        return this == FLOATING_IPS ? "floating IP" : "reserved IP";
    }
}
