package dev.pgflip.agent.flip;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.digitalocean.Action;
import dev.pgflip.agent.digitalocean.ApiException;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.digitalocean.TokenSource;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import dev.pgflip.agent.time.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code pgflip flip}: doctl-like manual access to the configured floating IP through the API. Unlike the
 * promote hook, {@code assign} returns the action at once unless asked to wait.
 */
public final class FlipConsole {
    private final DigitalOceanClient api;
    private final String ip;
    private final Duration pollInterval;
    private final Sleeper sleeper;

    public FlipConsole(DigitalOceanClient api, String ip, Duration pollInterval, Sleeper sleeper) {
        this.api = api;
        this.ip = ip;
        this.pollInterval = pollInterval;
        this.sleeper = sleeper;
    }

    public static FlipConsole fromConfig(Path configFile, Map<String, String> env) {
        AgentConfig config = AgentConfigLoader.load(configFile, ConfigPurpose.FLIP_COMMAND);
        DigitalOceanConfig doc = config.requireDigitalOcean();
        DigitalOceanClient api = DigitalOceanClient.create(doc, TokenSource.load(doc.tokenFile(), env));
        return new FlipConsole(api, config.requireFlip().ip(), doc.pollInterval(), Sleeper.SYSTEM);
    }

    public FloatingIp status(Deadline deadline) {
        return mapped(() -> api.getFloatingIp(ip, deadline));
    }

    public Action assign(long dropletId, boolean await, Deadline deadline) {
        return mapped(() -> {
            Action a;
            try {
                a = api.assign(ip, dropletId, deadline);
            } catch (ApiException e) {
                if (e.error().status() == 404) {
                    throw new FlipException(api.resource().displayName() + " " + ip + " or droplet " + dropletId
                            + " not found (404): check flip.ip, digitalocean.resource and the droplet id", e);
                }
                throw e;
            }
            return await ? awaitAction(a, deadline) : a;
        });
    }

    public Action unassign(boolean await, Deadline deadline) {
        return mapped(() -> {
            Action a = api.unassign(ip, deadline);
            return await ? awaitAction(a, deadline) : a;
        });
    }

    /** Polls until the action is not in-progress; an action that ends other than completed is a failure. */
    private Action awaitAction(Action created, Deadline deadline) {
        Action current = created;
        while (!current.isFinished()) {
            Duration wait = deadline.cap(pollInterval);
            if (wait.isZero()) {
                throw new DeadlineExceededException("action " + created.id() + " still " + current.status(), null);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadlineExceededException("interrupted", e);
            }
            Optional<Action> seen = api.getAction(ip, created.id(), deadline);
            if (seen.isPresent()) {
                current = seen.get();
            }
        }
        if (!current.isCompleted()) {
            throw new FlipException("action " + current.id() + " (" + current.type() + ") of " + ip + " ended with status " + current.status());
        }
        return current;
    }

    private <T> T mapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (DeadlineExceededException e) {
            throw new FlipException(e.getMessage(), e);
        } catch (ApiException e) {
            throw new FlipException(e.getMessage(), e);
        }
    }
}
