package dev.pgflip.agent.digitalocean;

/** The few droplet facts the agent uses. */
public record Droplet(long id, String name, String status, String regionSlug) {}
