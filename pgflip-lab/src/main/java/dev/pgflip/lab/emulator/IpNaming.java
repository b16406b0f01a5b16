package dev.pgflip.lab.emulator;

/**
 * The two names of the same resource: DigitalOcean renamed Floating IPs to Reserved IPs and still serves both paths.
 * Only JSON keys, the action's {@code resource_type} and messages differ.
 */
enum IpNaming {
    FLOATING("floating_ips", "floating_ip", "floating IP"),
    RESERVED("reserved_ips", "reserved_ip", "reserved IP");

    final String collection;
    final String single;
    final String humanName;

    IpNaming(String collection, String single, String humanName) {
        this.collection = collection;
        this.single = single;
        this.humanName = humanName;
    }

    static IpNaming forCollection(String segment) {
        for (IpNaming naming : values()) {
            if (naming.collection.equals(segment)) {
                return naming;
            }
        }
        return null;
    }

    static IpNaming forResourceType(String resourceType) {
        return RESERVED.single.equals(resourceType) ? RESERVED : FLOATING;
    }
}
