package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/** 401 from the API: retrying cannot help, the operator must fix the token. */
public final class TokenRejectedException extends PgflipException {
    public TokenRejectedException() {
        super(ExitCode.TOKEN_REJECTED,
                "DigitalOcean rejected the token (401 unauthorized): check digitalocean.token_file");
    }
}
