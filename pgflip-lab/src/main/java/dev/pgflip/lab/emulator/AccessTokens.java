package dev.pgflip.lab.emulator;

import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the API accepts and the scope of each: one read-write token and any number of read-only ones.
 * DigitalOcean answers a read-only token's write (POST, PUT, DELETE) with 403 {@code forbidden} and its reads as for
 * any token; a token it does not know gets 401.
 */
final class AccessTokens {
    /** What a token may do. */
    enum Scope {
        READ_WRITE,
        READ_ONLY;

        boolean allows(String method) {
            return this == READ_WRITE || method.equals("GET") || method.equals("HEAD");
        }
    }

    private final BearerToken readWrite;
    private final List<BearerToken> readOnly;

    AccessTokens(BearerToken readWrite, List<BearerToken> readOnly) {
        this.readWrite = readWrite;
        this.readOnly = List.copyOf(readOnly);
    }

    /** The scope of the token an {@code Authorization} header carries; empty when it carries none we know. */
    Optional<Scope> scopeOf(String authorizationHeader) {
        // Every token is compared (each in constant time), so the answer's timing does not tell which one matched.
        boolean writes = readWrite.acceptsAuthorizationHeader(authorizationHeader);
        boolean reads = false;
        for (BearerToken token : readOnly) {
            reads |= token.acceptsAuthorizationHeader(authorizationHeader);
        }
        return writes ? Optional.of(Scope.READ_WRITE) : reads ? Optional.of(Scope.READ_ONLY) : Optional.empty();
    }

    int readOnlyCount() {
        return readOnly.size();
    }

    @Override
    public String toString() {
        return "token=" + readWrite + " readOnlyTokens=" + readOnly.size();
    }
}
