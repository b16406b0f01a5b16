package dev.pgflip.agent.doctor;

import dev.pgflip.agent.digitalocean.ApiException;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.Droplet;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.digitalocean.TokenScopeException;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The floating IP: it exists, it is in this droplet's region (DigitalOcean refuses to assign it across regions), and
 * the API says it is on the droplet of the node that answers as primary.
 */
final class FlipChecks {
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final DigitalOceanClient api;
    private final String ip;
    private final OptionalLong self;
    private final Optional<ClusterView> cluster;
    private final Path configFile;

    FlipChecks(DigitalOceanClient api, String ip, OptionalLong self, Optional<ClusterView> cluster, Path configFile) {
        this.api = api;
        this.ip = ip;
        this.self = self;
        this.cluster = cluster;
        this.configFile = configFile;
    }

    /** @return the floating IP as the API showed it, or empty when it cannot be read (the failure is reported) */
    Optional<FloatingIp> run(DoctorReport report) {
        String name = api.resource().displayName() + " " + ip;
        FloatingIp flip;
        try {
            flip = api.getFloatingIp(ip, Deadline.after(BUDGET));
        } catch (ApiException e) {
            report.add(e.error().status() == 404
                    ? CheckResult.fail("flip_region", name + " does not exist in this account (404)", "check flip.ip and"
                            + " digitalocean.resource (floating_ips or reserved_ips) in " + configFile)
                    : CheckResult.fail("flip_region", "cannot read " + name + ": " + e.error(), "retry later"));
            return unread(name, report);
        } catch (TokenScopeException e) {
            report.add(CheckResult.fail("flip_region", "cannot read " + name + ": " + e.refusal(), e.fix()));
            return unread(name, report);
        } catch (DeadlineExceededException e) {
            report.add(CheckResult.fail("flip_region", "cannot read " + name + ": " + e.getMessage(), "retry later"));
            return unread(name, report);
        }
        report.add(region(name, flip));
        report.add(holder(name, flip));
        return Optional.of(flip);
    }

    private static Optional<FloatingIp> unread(String name, DoctorReport report) {
        report.add(CheckResult.skipped("flip_holder", "holder not checked: the " + name + " cannot be read"));
        return Optional.empty();
    }

    private CheckResult region(String name, FloatingIp flip) {
        if (self.isEmpty()) {
            return CheckResult.ok("flip_region", name + " exists, region " + flip.regionSlug()
                    + " (not compared: this droplet's id is unknown)");
        }
        Droplet droplet;
        try {
            droplet = api.getDroplet(self.getAsLong(), Deadline.after(BUDGET));
        } catch (ApiException e) {
            return CheckResult.fail("flip_region", "droplet " + self.getAsLong() + " (this node) cannot be read: " + e.error(),
                    "check node.droplet_id in " + configFile + ", and that the token belongs to this droplet's account");
        } catch (TokenScopeException e) {
            return CheckResult.fail("flip_region", "droplet " + self.getAsLong() + " (this node) cannot be read: "
                    + e.refusal(), e.fix());
        }
        if (!droplet.regionSlug().equals(flip.regionSlug())) {
            return CheckResult.fail("flip_region", name + " is in region " + flip.regionSlug() + " but this droplet ("
                    + droplet.id() + ") is in " + droplet.regionSlug() + ": DigitalOcean refuses to assign it here",
                    "use a " + api.resource().displayName() + " of region " + droplet.regionSlug() + " (flip.ip in " + configFile + ")");
        }
        return CheckResult.ok("flip_region", name + " exists in region " + flip.regionSlug() + ", like this droplet ("
                + droplet.id() + ")");
    }

    private CheckResult holder(String name, FloatingIp flip) {
        Optional<ClusterMember> primary = cluster.flatMap(ClusterView::primary);
        if (primary.isEmpty()) {
            return CheckResult.skipped("flip_holder", "holder not checked: no single current primary (see above)");
        }
        ClusterMember p = primary.get();
        String busy = flip.locked() ? " (an action on it is in progress)" : "";
        if (flip.dropletId().isEmpty()) {
            return CheckResult.fail("flip_holder", name + " is not assigned to any droplet" + busy + "; the primary is "
                    + p.describe(), assignFix(p));
        }
        long holder = flip.dropletId().getAsLong();
        if (p.local() && self.isPresent()) {
            return holder == self.getAsLong()
                    ? CheckResult.ok("flip_holder", name + " is on droplet " + holder + ": this node, the primary" + busy)
                    : CheckResult.fail("flip_holder", name + " is on droplet " + holder + ", not on this node's droplet "
                            + self.getAsLong() + ", and this node is the primary" + busy, assignFix(p));
        }
        Droplet held;
        try {
            held = api.getDroplet(holder, Deadline.after(BUDGET));
        } catch (ApiException | TokenScopeException | DeadlineExceededException e) {
            return CheckResult.fail("flip_holder", name + " is on droplet " + holder + ", which cannot be read ("
                    + e.getMessage() + "); the primary is " + p.describe(), assignFix(p));
        }
        if (held.isHost(p.host()) || held.name().equals(p.name())) {
            return CheckResult.ok("flip_holder", name + " is on droplet " + holder + " (" + held.name()
                    + "), the current primary " + p.describe() + busy);
        }
        return CheckResult.fail("flip_holder", name + " is on droplet " + holder + " (" + held.name() + "), but the"
                + " primary is " + p.describe() + busy + ": writes through the floating IP fail", assignFix(p));
    }

    /** The command that puts the IP right, with the primary's droplet id when the account's droplets show it. */
    private String assignFix(ClusterMember primary) {
        String id;
        try {
            id = api.listDroplets(Deadline.after(BUDGET)).stream()
                    .filter(d -> d.isHost(primary.host()) || d.name().equals(primary.name()))
                    .map(d -> Long.toString(d.id())).findFirst().orElse("<droplet id of " + primary.name() + ">");
        } catch (ApiException | TokenScopeException | DeadlineExceededException e) {
            id = "<droplet id of " + primary.name() + ">";
        }
        return "check that 'pgflip watch' runs on " + primary.name() + " (it moves the IP to its node within seconds),"
                + " or move it now: pgflip flip assign " + id + " --wait --config " + configFile;
    }
}
