package dev.pgflip.lab.emulator;

import java.util.Objects;

/**
 * A droplet the emulator pretends exists.
 *
 * <p>{@code privateIpv4} may be null (no private interface). {@code region} may be null in what is handed to the
 * builder; it then means "the emulator's region" and is filled in by {@link DigitalOceanEmulator.Builder#build()}.
 *
 * @param id          droplet id as the API shows it
 * @param name        hostname
 * @param publicIpv4  public interface address; also identifies the caller of the metadata service
 * @param privateIpv4 private interface address or null
 * @param region      region slug or null for the emulator's default
 */
public record EmulatedDroplet(long id, String name, String publicIpv4, String privateIpv4, String region) {

    public EmulatedDroplet {
        if (id <= 0) {
            throw new IllegalArgumentException("droplet id must be a positive number, got " + id);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("droplet " + id + ": name must not be blank");
        }
        Ipv4.parse(Objects.requireNonNull(publicIpv4, "droplet " + id + ": public_ipv4 is required"));
        if (privateIpv4 != null) {
            Ipv4.parse(privateIpv4);
        }
    }

    /** A droplet in the emulator's default region. */
    public EmulatedDroplet(long id, String name, String publicIpv4, String privateIpv4) {
        this(id, name, publicIpv4, privateIpv4, null);
    }

    EmulatedDroplet inRegionIfUnset(String defaultRegion) {
        return region != null ? this : new EmulatedDroplet(id, name, publicIpv4, privateIpv4, defaultRegion);
    }

    boolean hasAddress(String address) {
        return publicIpv4.equals(address) || address.equals(privateIpv4);
    }
}
