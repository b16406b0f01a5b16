package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/**
 * 403 from the API: the token is valid but lacks the scope the call needs, typically a read-only token asked to
 * move the IP ({@code POST …/actions} needs write scope, or the custom scope {@code reserved_ip:update}). Retrying
 * cannot help: the operator must give the agent a token with that scope.
 */
public final class TokenScopeException extends PgflipException {
    /** The custom scopes a node's token needs (DigitalOcean adds regions:read, sizes:read, image:read to update). */
    static final String NODE_SCOPES = "reserved_ip:read, reserved_ip:update, actions:read and droplet:read";

    private final ApiError error;
    private final boolean write;
    private final String refusal;
    private final String fix;

    /**
     * @param method the refused request's method; anything but GET and HEAD is a write
     * @param source where the token came from ({@link ApiToken#source()}), never the token itself
     */
    public TokenScopeException(String method, String path, String source, ApiError error) {
        super(ExitCode.TOKEN_REJECTED, refusal(method, path, error) + "; " + fix(source));
        this.error = error;
        this.write = isWrite(method);
        this.refusal = refusal(method, path, error);
        this.fix = fix(source);
    }

    private static boolean isWrite(String method) {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    private static String refusal(String method, String path, ApiError error) {
        return "DigitalOcean refused " + method + " " + path + " with " + error.status() + " " + error.id() + " (\""
                + error.message() + "\"): the token lacks " + (isWrite(method)
                        ? "write scope, so it cannot move the IP" : "the read scope this request needs");
    }

    private static String fix(String source) {
        return "create a token with read and write scope (or the custom scopes " + NODE_SCOPES + ") and put it in "
                + source;
    }

    public ApiError error() {
        return error;
    }

    /** Whether a write (POST, PUT, DELETE) was refused, rather than a read. */
    public boolean write() {
        return write;
    }

    /** What was refused and what the token lacks, without the fix. */
    public String refusal() {
        return refusal;
    }

    /** What to do: a token with the missing scope, and where to put it. */
    public String fix() {
        return fix;
    }
}
