package dev.pgflip.agent.doctor;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.digitalocean.Account;
import dev.pgflip.agent.digitalocean.ApiException;
import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.CertificateRejectedException;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.TokenRejectedException;
import dev.pgflip.agent.digitalocean.TokenScopeException;
import dev.pgflip.agent.digitalocean.TokenSource;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DigitalOcean token: found where the agent looks (digitalocean.token_file, else DIGITALOCEAN_ACCESS_TOKEN), private
 * (the agent refuses a file group or others can read), and accepted by the API ({@code GET /v2/account}). The token
 * itself is never printed.
 */
final class TokenChecks {
    static final Duration API_BUDGET = Duration.ofSeconds(5);

    private final DigitalOceanConfig doc;
    private final Map<String, String> env;
    private final Path configFile;

    TokenChecks(DigitalOceanConfig doc, Map<String, String> env, Path configFile) {
        this.doc = doc;
        this.env = env;
        this.configFile = configFile;
    }

    /** The API client when the token is accepted; else empty and the API checks after this one are skipped. */
    Optional<DigitalOceanClient> run(DoctorReport report) {
        Optional<ApiToken> token = doc.tokenFile().isPresent() ? fromFile(doc.tokenFile().get(), report) : fromEnv(report);
        if (token.isEmpty()) {
            report.add(CheckResult.skipped("token_accepted", "token not tried against the API: no usable token"));
            return Optional.empty();
        }
        DigitalOceanClient api = DigitalOceanClient.create(doc, token.get());
        return accepted(api, report) ? Optional.of(api) : Optional.empty();
    }

    private Optional<ApiToken> fromFile(Path file, DoctorReport report) {
        String fixOwner = "write the API token into " + file + ", owned by the user repmgrd runs as (postgres), then: chmod 600 " + file;
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            report.add(CheckResult.fail("token", "token file " + file + " (digitalocean.token_file): "
                    + (Files.exists(file) ? "cannot read its mode: " + e.getMessage() : "does not exist"), fixOwner));
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            report.add(CheckResult.fail("token", "token file " + file + " is not on a POSIX file system: its mode cannot be checked",
                    "move it to a local file system, or use " + TokenSource.ENV));
            return Optional.empty();
        }
        if (TokenSource.isOpenToOthers(perms)) {
            report.add(CheckResult.fail("token", "token file " + file + " has mode " + FileMode.octal(perms)
                    + ": group or others can read the DigitalOcean token, so pgflip refuses it", "chmod 600 " + file));
            return Optional.empty();
        }
        try {
            ApiToken token = TokenSource.load(Optional.of(file), env);
            report.add(CheckResult.ok("token", "DigitalOcean token read from " + file + " (mode " + FileMode.octal(perms) + ")"));
            return Optional.of(token);
        } catch (PgflipException e) {
            report.add(CheckResult.fail("token", e.getMessage(), fixOwner));
            return Optional.empty();
        }
    }

    private Optional<ApiToken> fromEnv(DoctorReport report) {
        String value = env.get(TokenSource.ENV);
        if (value == null || value.isBlank()) {
            report.add(CheckResult.fail("token", "no DigitalOcean token: digitalocean.token_file is not set in " + configFile
                    + " and " + TokenSource.ENV + " is empty", "put the token in a file with mode 0600 and set"
                    + " digitalocean.token_file to it (repmgrd's environment rarely carries " + TokenSource.ENV + ")"));
            return Optional.empty();
        }
        report.add(CheckResult.ok("token", "DigitalOcean token from " + TokenSource.ENV
                + " (no digitalocean.token_file): repmgrd's environment must carry it too"));
        return Optional.of(new ApiToken(value, TokenSource.ENV));
    }

    private boolean accepted(DigitalOceanClient api, DoctorReport report) {
        String where = "the API at " + doc.apiUrl();
        try {
            Account account = api.account(Deadline.after(API_BUDGET));
            if (!account.isActive()) {
                report.add(CheckResult.fail("token_accepted", where + " accepts the token but the account is "
                        + account.status() + ": " + account.statusMessage().strip(),
                        "resolve the account's status in the DigitalOcean control panel (a locked account cannot move IPs)"));
                return false;
            }
            report.add(CheckResult.ok("token_accepted", where + " accepts the token (account " + account.status() + ")"));
            return true;
        } catch (TokenRejectedException e) {
            report.add(CheckResult.fail("token_accepted", where + " rejects the token (401 unauthorized)",
                    "put a valid API token with read and write scope in " + doc.tokenFile().map(Path::toString)
                            .orElse(TokenSource.ENV) + " (a revoked or mistyped token fails every failover)"));
        } catch (TokenScopeException e) {
            // Authenticated: a custom-scoped token may lack account:read, which pgflip never needs.
            report.add(CheckResult.ok("token_accepted", where + " accepts the token (it may not read the account,"
                    + " 403; pgflip needs only the floating IP scopes)"));
            return true;
        } catch (ApiException e) {
            report.add(CheckResult.fail("token_accepted", where + " answered " + e.error(), "retry later; if it lasts,"
                    + " check digitalocean.api_url in " + configFile));
        } catch (CertificateRejectedException e) {
            report.add(CheckResult.fail("token_accepted", e.getMessage(), "the token was not sent; fix"
                    + " digitalocean.ca_file or digitalocean.api_url in " + configFile));
        } catch (DeadlineExceededException e) {
            report.add(CheckResult.fail("token_accepted", "no answer from " + where + ": " + e.getMessage(),
                    "check digitalocean.api_url in " + configFile + " and that this node reaches it"));
        }
        return false;
    }
}
