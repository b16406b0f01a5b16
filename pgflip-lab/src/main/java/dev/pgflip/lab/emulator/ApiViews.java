package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the real API, as records serialized by Jackson with snake_case names, and the mapping from
 * the emulator's state to them. Field order follows DigitalOcean's documentation examples.
 */
final class ApiViews {

    record RegionView(String slug, String name, boolean available, List<String> sizes, List<String> features) {}

    record NetworkV4(String ipAddress, String netmask, String gateway, String type) {}

    record Networks(List<NetworkV4> v4, List<Object> v6) {}

    record ImageView(long id, String name, String distribution, String slug, @JsonProperty("public") boolean isPublic, List<String> regions,
                     String type, int minDiskSize, double sizeGigabytes, String status) {}

    record SizeView(String slug, int memory, int vcpus, int disk, double transfer, double priceMonthly,
                    double priceHourly, List<String> regions, boolean available) {}

    record DropletView(long id, String name, int memory, int vcpus, int disk, boolean locked, String status,
                       Object kernel, String createdAt, List<String> features, List<Long> backupIds,
                       Object nextBackupWindow, List<Long> snapshotIds, ImageView image, List<String> volumeIds,
                       SizeView size, String sizeSlug, Networks networks, RegionView region, List<String> tags,
                       String vpcUuid) {}

    record IpView(String ip, DropletView droplet, RegionView region, boolean locked, String projectId) {}

    record ActionView(long id, String status, String type, String startedAt, String completedAt, long resourceId,
                      String resourceType, RegionView region, String regionSlug) {}

    record LinkRef(long id, String rel, String href) {}

    private static final String SIZE_SLUG = "s-1vcpu-1gb";

    private final FloatingIpStore store;
    private final String projectId;
    private final String vpcUuid;
    private final Instant dropletsCreatedAt;

    ApiViews(FloatingIpStore store, String projectId, String vpcUuid, Instant dropletsCreatedAt) {
        this.store = store;
        this.projectId = projectId;
        this.vpcUuid = vpcUuid;
        this.dropletsCreatedAt = dropletsCreatedAt;
    }

    static ObjectMapper newMapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    static RegionView region(String slug) {
        return new RegionView(slug, "pgflip lab " + slug, true, List.of(SIZE_SLUG), List.of());
    }

    DropletView droplet(EmulatedDroplet d) {
        List<NetworkV4> v4 = new ArrayList<>();
        v4.add(new NetworkV4(d.publicIpv4(), "255.255.255.0", gatewayOf(d.publicIpv4()), "public"));
        if (d.privateIpv4() != null) {
            v4.add(new NetworkV4(d.privateIpv4(), "255.255.255.0", gatewayOf(d.privateIpv4()), "private"));
        }
        ImageView image = new ImageView(1, "22.04 (LTS) x64", "Ubuntu", "ubuntu-22-04-x64", true,
                List.of(d.region()), "base", 7, 2.36, "available");
        SizeView size = new SizeView(SIZE_SLUG, 1024, 1, 25, 1.0, 6.0, 0.00893, List.of(d.region()), true);
        return new DropletView(d.id(), d.name(), 1024, 1, 25, false, "active", null, iso(dropletsCreatedAt),
                List.of("private_networking"), List.of(), null, List.of(), image, List.of(), size, SIZE_SLUG,
                new Networks(List.copyOf(v4), List.of()), region(d.region()), List.of(), vpcUuid);
    }

    IpView ip(FloatingIp ip) {
        DropletView holder = ip.dropletId().isPresent()
                ? store.droplet(ip.dropletId().getAsLong()).map(this::droplet).orElse(null) : null;
        return new IpView(ip.ip(), holder, region(ip.region()), ip.locked(), projectId);
    }

    static ActionView action(ActionRecord a) {
        return new ActionView(a.id(), a.status().wireName(), a.type().wireName(), iso(a.startedAt()),
                a.completedAt().map(ApiViews::iso).orElse(null), Ipv4.parse(a.ip()).asUnsignedInt(),
                a.resourceType(), region(a.region()), a.region());
    }

    /** The {@code links} of a create answer: the droplet it was created on and the assign action, if any. */
    static Map<String, List<LinkRef>> createLinks(String origin, FloatingIp ip, Optional<ActionRecord> assign) {
        List<LinkRef> droplets = assign.map(a -> List.of(new LinkRef(a.dropletId().getAsLong(), "droplet",
                origin + "/v2/droplets/" + a.dropletId().getAsLong()))).orElse(List.of());
        List<LinkRef> actions = assign.map(a -> List.of(new LinkRef(a.id(), a.type().wireName(),
                origin + "/v2/actions/" + a.id()))).orElse(List.of());
        return Map.of("droplets", droplets, "actions", actions);
    }

    /** DigitalOcean prints timestamps to the second: {@code 2014-11-14T16:29:21Z}. */
    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String gatewayOf(String address) {
        return address.substring(0, address.lastIndexOf('.')) + ".1";
    }
}
