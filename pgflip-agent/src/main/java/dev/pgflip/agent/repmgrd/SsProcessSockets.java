package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ProcessSockets} through iproute2's {@code ss}: {@code ss -tinpO} to list (any user may; the owner of the
 * process sees its PID), {@code ss -K} to end one, which needs {@code CAP_NET_ADMIN} (pgflip-watch.service grants it as
 * an ambient capability) and a kernel built with {@code CONFIG_INET_DIAG_DESTROY} (Ubuntu's is, the lab's is).
 */
public final class SsProcessSockets implements ProcessSockets {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern LAST_SEND = Pattern.compile("\\blastsnd:(\\d+)");
    private static final Pattern LAST_RECEIVE = Pattern.compile("\\blastrcv:(\\d+)");
    private static final Pattern BYTES_RECEIVED = Pattern.compile("\\bbytes_received:(\\d+)");
    private static final Pattern OWNER = Pattern.compile("\\(\"([^\"]*)\",pid=(\\d+),");

    private final ProcessRunner runner;

    public SsProcessSockets(ProcessRunner runner) {
        this.runner = runner;
    }

    @Override
    public List<PeerSocket> established(long pid, String command) {
        ProcessResult listed = run(List.of("ss", "-H", "-t", "-i", "-n", "-p", "-O", "state", "established"));
        if (!listed.succeeded()) {
            throw new IllegalStateException("cannot list TCP connections: " + listed.describe());
        }
        return parse(listed.stdout(), pid, command);
    }

    @Override
    public Optional<String> destroy(PeerSocket socket) {
        ProcessResult killed = run(List.of("ss", "-K", "-H", "-t", "-n", "state", "established",
                "src", filterAddress(socket.localAddress()), "sport", "=", ":" + socket.localPort(),
                "dst", filterAddress(socket.peerAddress()), "dport", "=", ":" + socket.peerPort()));
        // ss -K exits 0 even when the kernel refuses (EPERM without CAP_NET_ADMIN, EOPNOTSUPP without the kernel
        // option): only the socket it prints was ended.
        if (killed.succeeded() && !killed.stdout().isBlank()) {
            return Optional.empty();
        }
        String why = killed.lastStderrLine();
        return Optional.of(why.isEmpty() ? "ss -K ended no connection " + socket.local() + " -> " + socket.peer()
                + " (gone already?)" : "ss -K: " + why + needs(why));
    }

    /** ss's filters take an IPv6 address only in brackets ({@code [::ffff:127.0.0.1]}), as it prints them. */
    private static String filterAddress(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static String needs(String why) {
        if (why.contains("not permitted")) {
            return " (pgflip watch needs CAP_NET_ADMIN: AmbientCapabilities=CAP_NET_ADMIN in pgflip-watch.service)";
        }
        if (why.contains("not supported")) {
            return " (the kernel lacks CONFIG_INET_DIAG_DESTROY)";
        }
        return "";
    }

    /**
     * The sockets {@code pid} holds, running {@code command}, among {@code ss -H -t -i -n -p -O state established}'s
     * lines. The name guards against a PID that repmgr's shared memory still holds after repmgrd died and that a
     * PostgreSQL backend got since: a server's side of an idle session looks like an unanswered request.
     */
    static List<PeerSocket> parse(String ssOutput, long pid, String command) {
        List<PeerSocket> sockets = new ArrayList<>();
        for (String line : ssOutput.split("\\R")) {
            if (!ownedBy(line, pid, command)) {
                continue;
            }
            String[] fields = line.strip().split("\\s+");
            OptionalLong sent = number(LAST_SEND, line);
            OptionalLong received = number(LAST_RECEIVE, line);
            if (fields.length < 4 || sent.isEmpty() || received.isEmpty()) {
                continue;
            }
            Optional<Endpoint> local = Endpoint.parse(fields[2]);
            Optional<Endpoint> peer = Endpoint.parse(fields[3]);
            if (local.isPresent() && peer.isPresent()) {
                sockets.add(new PeerSocket(local.get().address(), local.get().port(), peer.get().address(),
                        peer.get().port(), sent.getAsLong(), received.getAsLong(),
                        number(BYTES_RECEIVED, line).orElse(0)));
            }
        }
        return List.copyOf(sockets);
    }

    private static boolean ownedBy(String line, long pid, String command) {
        Matcher m = OWNER.matcher(line);
        while (m.find()) {
            if (m.group(2).equals(Long.toString(pid)) && m.group(1).equals(command)) {
                return true;
            }
        }
        return false;
    }

    private static OptionalLong number(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private record Endpoint(String address, int port) {
        /** {@code 198.18.0.12:5432}, {@code [::1]:5432}, {@code [::ffff:198.18.0.12]:5432}. */
        static Optional<Endpoint> parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return Optional.empty();
            }
            String address = text.substring(0, colon);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            try {
                return Optional.of(new Endpoint(address, Integer.parseInt(text.substring(colon + 1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private ProcessResult run(List<String> argv) {
        try {
            return runner.run(argv, Map.of(), TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0) + " " + argv.get(1) + ": " + e.getMessage()
                    + " (iproute2's ss is needed)", e);
        }
    }
}
