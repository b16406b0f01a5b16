package dev.pgflip.agent.config;

import java.util.regex.Pattern;

/** Checks dotted-quad IPv4 text without resolving anything (InetAddress would accept host names). */
public final class Ipv4 {
    private static final Pattern OCTET = Pattern.compile("0|[1-9]\\d{0,2}");

    private Ipv4() {}

    public static boolean isValid(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!OCTET.matcher(p).matches() || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
