package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/** 401 from the API: retrying cannot help, the operator must fix the token. */
public final class TokenRejectedException extends PgflipException {
    /** @param source where the rejected token came from ({@link ApiToken#source()}) */
    public TokenRejectedException(String source) {
        super(ExitCode.TOKEN_REJECTED, "DigitalOcean rejected the token (401 unauthorized): replace the token in "
                + source + " with a valid one with write scope");
    }
}
