/**
 * A DigitalOcean API v2 emulator for the lab: Floating/Reserved IPs (one store under both names), their assign and
 * unassign actions, droplets, the account ({@code GET /v2/account}), the droplet metadata service and fault injection,
 * served by the JDK HTTP server. Tokens have a scope: one read-write token, and read-only ones whose writes get 403
 * {@code forbidden} as on DigitalOcean (custom scopes, e.g. {@code reserved_ip:update} alone, are not emulated).
 *
 * <p>Entry points: {@link dev.pgflip.lab.emulator.DigitalOceanEmulator#builder()} in-process,
 * {@link dev.pgflip.lab.emulator.EmulatorMain#start} with {@link dev.pgflip.lab.emulator.EmulatorSettings} from a
 * JSON file, or {@code EmulatorMain --config FILE} as a process of its own.
 *
 * <p>Deliberate differences from the real API, all extensions a real client never sends or reads:
 * <ul>
 *   <li>{@code POST /v2/floating_ips} accepts {@code "ip": "198.18.0.100"} to create that address; otherwise
 *       addresses come from a pool inside 198.18.0.0/15.</li>
 *   <li>{@code /_emulator/faults} and {@code /_emulator/actions} control and inspect the emulator.</li>
 *   <li>The metadata service identifies the caller by source address and is served over plain HTTP at
 *       {@code /metadata/v1/…} of a port of its own, not at 169.254.169.254; {@code anchor_ipv4} is the droplet's
 *       private address. The API itself is HTTPS only, with a certificate from the lab's own CA.</li>
 *   <li>A floating IP created on a droplet shows {@code droplet: null, locked: true} until its assign action
 *       completes, like every other assignment here.</li>
 * </ul>
 */
package dev.pgflip.lab.emulator;
