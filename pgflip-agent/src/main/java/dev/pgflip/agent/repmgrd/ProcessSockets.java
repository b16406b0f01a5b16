package dev.pgflip.agent.repmgrd;

import java.util.List;
import java.util.Optional;

/** The TCP connections of a local process, and the one way to end one from outside it. */
public interface ProcessSockets {
    /**
     * The established TCP connections the process {@code pid} holds while it runs {@code command} (its name as the
     * kernel shows it); empty when it holds none, is gone, or the PID now names another program.
     */
    List<PeerSocket> established(long pid, String command);

    /**
     * Ends the connection under the process that holds it: its next (or pending) read fails at once, as if the peer
     * had reset it. Returns why it could not, empty when it is ended.
     */
    Optional<String> destroy(PeerSocket socket);
}
