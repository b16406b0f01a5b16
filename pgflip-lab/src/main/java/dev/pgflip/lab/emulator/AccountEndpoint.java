package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/account}: whose token this is, shaped like the real answer (limits, email, uuid, status, team). A
 * client calls it to prove a token works ({@code pgflip doctor} does); the account is always active here.
 */
final class AccountEndpoint {
    record TeamView(String uuid, String name) {}

    record AccountView(int dropletLimit, int floatingIpLimit, int reservedIpLimit, int volumeLimit, String email,
                       String name, String uuid, boolean emailVerified, String status, String statusMessage,
                       TeamView team) {}

    private final AccountView account;
    private final ObjectMapper json;

    AccountEndpoint(String accountUuid, String teamUuid, int floatingIpLimit, ObjectMapper json) {
        this.account = new AccountView(25, floatingIpLimit, floatingIpLimit, 10, "lab@pgflip.invalid", "pgflip lab",
                accountUuid, true, "active", "", new TeamView(teamUuid, "pgflip lab"));
        this.json = json;
    }

    ApiResponse handle(ApiRequest request, List<String> rest) {
        if (!request.method().equals("GET")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, request.method() + " is not supported on account.");
        }
        if (!rest.isEmpty()) {
            throw ApiException.notFound();
        }
        return ApiResponse.json(200, Map.of("account", account), json);
    }
}
