package dev.pgflip.agent.watch;

/** Another node that answers as a writable primary, with the timeline it writes on. */
public record PeerPrimary(String name, String host, int port, long timeline) {}
