package dev.pgflip.agent.doctor;

import dev.pgflip.agent.digitalocean.ApiError;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.TokenRejectedException;
import dev.pgflip.agent.digitalocean.TokenScopeException;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The token may move the floating IP, proven without moving it. {@code token_accepted} cannot tell: a read-only token
 * reads the account and the IP like any other, and only the failover's assign would get 403. The probe
 * ({@link DigitalOceanClient#probeWriteScope}) posts an action the API can never carry out: 403 means read scope only,
 * a refusal of the action itself (422) means the scope check passed. Nothing changes either way.
 */
final class TokenWriteScopeCheck {
    static final String CHECK = "token_write_scope";
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final DigitalOceanClient api;
    private final String ip;
    private final Path configFile;

    TokenWriteScopeCheck(DigitalOceanClient api, String ip, Path configFile) {
        this.api = api;
        this.ip = ip;
        this.configFile = configFile;
    }

    CheckResult run() {
        String name = api.resource().displayName() + " " + ip;
        try {
            Optional<ApiError> refusal = api.probeWriteScope(ip, Deadline.after(BUDGET));
            if (refusal.isEmpty()) {
                return CheckResult.ok(CHECK, "the token may write: the API accepted a probe action of type "
                        + DigitalOceanClient.WRITE_PROBE_TYPE + " on " + name + " (DigitalOcean refuses that type)");
            }
            return judge(name, refusal.get());
        } catch (TokenScopeException e) {
            return CheckResult.fail(CHECK, e.refusal() + "; a failover would promote a node but leave " + name
                    + " where it is", e.fix() + ", then restart pgflip watch (it reads the token when it starts)");
        } catch (TokenRejectedException e) {
            return CheckResult.fail(CHECK, e.getMessage(), "see token_accepted above");
        } catch (DeadlineExceededException e) {
            return CheckResult.fail(CHECK, "write scope not proven: no answer in time (" + e.getMessage() + ")",
                    "retry later; if it lasts, check digitalocean.api_url in " + configFile);
        }
    }

    private CheckResult judge(String name, ApiError refusal) {
        if (refusal.status() == 422 || refusal.status() == 400) {
            return CheckResult.ok(CHECK, "the token may move " + name + ": a probe action the API cannot carry out"
                    + " passed the scope check and was refused for itself (" + refusal.status() + " " + refusal.id()
                    + "); nothing changed");
        }
        return CheckResult.fail(CHECK, "write scope not proven: the probe action on " + name + " got " + refusal,
                "retry later; if it lasts, check flip.ip and digitalocean.resource in " + configFile);
    }
}
