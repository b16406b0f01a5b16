package dev.pgflip.agent.config;

/** What the configuration will be used for; decides which sections are required. */
public enum ConfigPurpose {
    /** {@code pgflip promote}: node.database, flip, promote and the provider's section. */
    PROMOTE,
    /** {@code pgflip promote --skip-promote}: flip and the provider's section. */
    FLIP_ONLY,
    /** {@code pgflip flip ...}: flip and digitalocean. */
    FLIP_COMMAND,
    /** {@code pgflip watch}: node.database, flip and the provider's section. */
    WATCH,
    /** {@code pgflip rejoin}: node.database, flip (its IP finds the primary) and rejoin. */
    REJOIN,
    /** {@code pgflip follow}: node.database (repmgr.nodes and the credentials to ask the new primary) and rejoin. */
    FOLLOW,
    /** {@code pgflip doctor}: what watch needs (node.database, flip and the provider's section). */
    DOCTOR,
    /** {@code pgflip status}: what watch needs (node.database, flip and the provider's section). */
    STATUS,
    /** {@code pgflip start-guard}: node.database (the credentials to ask the peers) and fencing. */
    START_GUARD,
    /** {@code pgflip event}: events. */
    EVENT
}
