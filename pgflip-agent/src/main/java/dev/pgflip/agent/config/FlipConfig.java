package dev.pgflip.agent.config;

/** {@code flip}: the floating IP (IPv4) and how it is moved. */
public record FlipConfig(String ip, ProviderKind provider) {}
