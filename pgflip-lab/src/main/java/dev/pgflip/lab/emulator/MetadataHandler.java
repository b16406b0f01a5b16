package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * The droplet metadata service ({@code 169.254.169.254} on a real droplet). Unauthenticated, and like the real one
 * it answers about the droplet that asks: the caller is whichever droplet owns the request's source address.
 */
final class MetadataHandler implements HttpHandler {
    static final String PREFIX = "/metadata/";

    private final FloatingIpStore store;
    private final ObjectMapper json;

    MetadataHandler(FloatingIpStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        String caller = exchange.getRemoteAddress().getAddress().getHostAddress();
        Optional<EmulatedDroplet> droplet = store.dropletWithAddress(caller);
        ApiResponse response;
        if (!exchange.getRequestMethod().equals("GET")) {
            response = ApiResponse.text(405, "method not allowed\n");
        } else if (droplet.isEmpty()) {
            response = ApiResponse.text(404, "not a droplet: " + caller + "\n");
        } else {
            response = answer(exchange.getRequestURI().getPath().substring(PREFIX.length()), droplet.get());
        }
        response.send(exchange);
    }

    private ApiResponse answer(String path, EmulatedDroplet droplet) {
        Optional<String> floatingIp = store.heldBy(droplet.id()).map(FloatingIp::ip);
        switch (path) {
            case "v1.json":
                return ApiResponse.json(200, document(droplet, floatingIp), json);
            case "v1/id":
                return text(Long.toString(droplet.id()));
            case "v1/hostname":
                return text(droplet.name());
            case "v1/region":
                return text(droplet.region());
            case "v1/floating_ip/ipv4/active":
            case "v1/reserved_ip/ipv4/active":
                return text(Boolean.toString(floatingIp.isPresent()));
            case "v1/floating_ip/ipv4/ip_address":
            case "v1/reserved_ip/ipv4/ip_address":
                return floatingIp.map(MetadataHandler::text).orElseGet(MetadataHandler::notFound);
            case "v1/interfaces/public/0/ipv4/address":
                return text(droplet.publicIpv4());
            case "v1/interfaces/private/0/ipv4/address":
            case "v1/interfaces/public/0/anchor_ipv4/address":
                // The anchor stands in as the private address, as in v1.json (see document below).
                return Optional.ofNullable(droplet.privateIpv4()).map(MetadataHandler::text)
                        .orElseGet(MetadataHandler::notFound);
            default:
                return notFound();
        }
    }

    /**
     * {@code /metadata/v1.json}. The anchor IP is where a real droplet receives its reserved IP's traffic; the lab
     * has no separate anchor network, so the private address stands in for it.
     */
    private ObjectNode document(EmulatedDroplet droplet, Optional<String> floatingIp) {
        ObjectNode doc = json.createObjectNode();
        doc.put("droplet_id", droplet.id());
        doc.put("hostname", droplet.name());
        doc.put("vendor_data", "");
        doc.putArray("public_keys");
        doc.put("auth_key", UUID.nameUUIDFromBytes(droplet.name().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", ""));
        doc.put("region", droplet.region());
        ObjectNode interfaces = doc.putObject("interfaces");
        ObjectNode publicIf = interfaces.putArray("public").addObject();
        publicIf.putObject("ipv4").put("ip_address", droplet.publicIpv4()).put("netmask", "255.255.255.0");
        if (droplet.privateIpv4() != null) {
            publicIf.putObject("anchor_ipv4").put("ip_address", droplet.privateIpv4()).put("netmask", "255.255.255.0");
            ObjectNode privateIf = interfaces.putArray("private").addObject();
            privateIf.putObject("ipv4").put("ip_address", droplet.privateIpv4()).put("netmask", "255.255.255.0");
            privateIf.put("type", "private");
        }
        publicIf.put("type", "public");
        for (String key : new String[] {"floating_ip", "reserved_ip"}) {
            ObjectNode ipv4 = doc.putObject(key).putObject("ipv4");
            ipv4.put("active", floatingIp.isPresent());
            floatingIp.ifPresent(ip -> ipv4.put("ip_address", ip));
        }
        doc.putObject("dns").putArray("nameservers");
        doc.putObject("features").put("dhcp_enabled", false);
        return doc;
    }

    private static ApiResponse text(String value) {
        return ApiResponse.text(200, value);
    }

    private static ApiResponse notFound() {
        return ApiResponse.text(404, "not found\n");
    }
}
