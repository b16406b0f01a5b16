package dev.pgflip.lab.emulator;

import java.util.Optional;
import java.util.Set;

/**
 * The block new floating IPs are allocated from when a create request names no address.
 *
 * <p>Confined to 198.18.0.0/15 (RFC 2544 benchmarking space) so an emulated address can never collide with a real
 * one the lab host might route to.
 */
record IpPool(Ipv4 network, int prefixLength) {

    private static final IpPool BENCHMARK_SPACE = new IpPool(Ipv4.parse("198.18.0.0"), 15);

    static IpPool parse(String cidr) {
        String[] parts = cidr.split("/", -1);
        if (parts.length != 2 || parts[1].isEmpty() || !parts[1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("ipPool: expected a CIDR block like 198.18.0.96/28, got '" + cidr + "'");
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 15 || prefix > 30) {
            throw new IllegalArgumentException("ipPool: prefix length must be 15..30, got /" + prefix);
        }
        Ipv4 network = Ipv4.parse(parts[0]);
        IpPool pool = new IpPool(network, prefix);
        if ((network.asUnsignedInt() & ~pool.mask()) != 0) {
            throw new IllegalArgumentException("ipPool: '" + cidr + "' has host bits set; the block starts at "
                    + new Ipv4(network.asUnsignedInt() & pool.mask()) + "/" + prefix);
        }
        if (!BENCHMARK_SPACE.contains(network)) {
            throw new IllegalArgumentException("ipPool: '" + cidr + "' must lie inside 198.18.0.0/15");
        }
        return pool;
    }

    /** The first host address (not network, not broadcast) that {@code taken} does not hold. */
    Optional<Ipv4> firstFree(Set<String> taken) {
        long size = 1L << (32 - prefixLength);
        for (long offset = 1; offset < size - 1; offset++) {
            Ipv4 candidate = network.plus(offset);
            if (!taken.contains(candidate.toString())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    boolean contains(Ipv4 address) {
        return (address.asUnsignedInt() & mask()) == network.asUnsignedInt();
    }

    private long mask() {
        return (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
