package dev.pgflip.lab.emulator;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The emulator's settings after validation; immutable. Built only by {@link DigitalOceanEmulator.Builder}, which
 * calls {@link #validated} once and reports every problem at the same time.
 */
record EmulatorConfig(InetSocketAddress bind, InetSocketAddress metadataBind, SSLContext tls, BearerToken token,
                      List<BearerToken> readOnlyTokens, String region, Duration actionDelay,
                      List<EmulatedDroplet> droplets, int perHour, int perMinute, Duration actionVisibilityDelay,
                      IpPool ipPool, Clock clock) {

    private static final String SLUG = "[a-z0-9][a-z0-9-]*";

    /** Droplets without a region get {@code region}; every rule is checked and all failures reported together. */
    static EmulatorConfig validated(InetSocketAddress bind, InetSocketAddress metadataBind, SSLContext tls,
                                    BearerToken token, List<BearerToken> readOnlyTokens, String region,
                                    Duration actionDelay, List<EmulatedDroplet> droplets, int perHour, int perMinute,
                                    Duration visibilityDelay, String ipPool, Clock clock) {
        List<String> errors = new ArrayList<>();
        if (tls == null) {
            errors.add("tls: required, the API's server key and certificate (the API is served over HTTPS only)");
        }
        if (token == null) {
            errors.add("token: required (the read-write bearer token the emulator accepts)");
        } else if (readOnlyTokens.stream().anyMatch(token::sameAs)) {
            // The values stay out of the message: a token is a secret even in the emulator.
            errors.add("readOnlyTokens: one is the read-write token itself; a token has one scope, give another");
        }
        if (region == null || !region.matches(SLUG)) {
            errors.add("region: expected a slug like 'lab1', got '" + region + "'");
        }
        if (actionDelay.isNegative()) {
            errors.add("actionDelay: expected zero or more, got " + actionDelay);
        }
        if (visibilityDelay.isNegative()) {
            errors.add("actionVisibilityDelay: expected zero or more, got " + visibilityDelay);
        }
        if (perHour < 1 || perMinute < 1) {
            errors.add("rateLimit: expected positive per-hour and per-minute budgets, got " + perHour + "/"
                    + perMinute);
        }
        IpPool pool = null;
        try {
            pool = IpPool.parse(ipPool);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
        }
        List<EmulatedDroplet> resolved = droplets.stream().map(d -> d.inRegionIfUnset(region)).toList();
        checkDroplets(resolved, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid DigitalOcean emulator settings:\n  - "
                    + String.join("\n  - ", errors));
        }
        return new EmulatorConfig(bind, metadataBind, tls, token, List.copyOf(readOnlyTokens), region, actionDelay, resolved, perHour, perMinute,
                visibilityDelay, pool, clock);
    }

    /** The tokens the API accepts, with their scopes. */
    AccessTokens accessTokens() {
        return new AccessTokens(token, readOnlyTokens);
    }

    /** Every region an IP may be created in: the default one and those of the droplets. */
    Set<String> regions() {
        Set<String> regions = new TreeSet<>();
        regions.add(region);
        droplets.forEach(d -> regions.add(d.region()));
        return Set.copyOf(regions);
    }

    private static void checkDroplets(List<EmulatedDroplet> droplets, List<String> errors) {
        Map<Long, Long> ids = droplets.stream().collect(Collectors.groupingBy(EmulatedDroplet::id,
                Collectors.counting()));
        ids.forEach((id, n) -> {
            if (n > 1) {
                errors.add("droplets: id " + id + " is used by " + n + " droplets; ids must be unique");
            }
        });
        Map<String, Long> owners = new HashMap<>();
        for (EmulatedDroplet d : droplets) {
            if (!d.region().matches(SLUG)) {
                errors.add("droplets[" + d.id() + "].region: expected a slug, got '" + d.region() + "'");
            }
            for (String address : d.privateIpv4() == null ? List.of(d.publicIpv4())
                    : List.of(d.publicIpv4(), d.privateIpv4())) {
                Long other = owners.putIfAbsent(address, d.id());
                if (other != null && other != d.id()) {
                    errors.add("droplets: address " + address + " belongs to both " + other + " and " + d.id()
                            + "; the metadata service tells droplets apart by address");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "bind=" + bind + " (https) metadataBind=" + metadataBind + " (http) region=" + region
                + " actionDelay=" + actionDelay.toMillis() + "ms"
                + " actionVisibilityDelay=" + actionVisibilityDelay.toMillis() + "ms rateLimit=" + perHour + "/h,"
                + perMinute + "/min ipPool=" + ipPool + " droplets=" + droplets.size() + " " + accessTokens();
    }
}
