package dev.pgflip.lab.emulator;

/**
 * An IPv4 address parsed from dotted-quad text without any name lookup.
 *
 * <p>The API identifies an IP action's resource by the address as an unsigned 32-bit integer
 * ({@code resource_id}), hence {@link #asUnsignedInt()}.
 */
record Ipv4(long asUnsignedInt) {

    Ipv4 {
        if (asUnsignedInt < 0 || asUnsignedInt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an IPv4 address: " + asUnsignedInt);
        }
    }

    static Ipv4 parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "' (expected a.b.c.d)");
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "' (expected a.b.c.d)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "' (octet " + octet + " > 255)");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4(value);
    }

    static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    Ipv4 plus(long offset) {
        return new Ipv4(asUnsignedInt + offset);
    }

    @Override
    public String toString() {
        return ((asUnsignedInt >> 24) & 0xFF) + "." + ((asUnsignedInt >> 16) & 0xFF) + "."
                + ((asUnsignedInt >> 8) & 0xFF) + "." + (asUnsignedInt & 0xFF);
    }
}
