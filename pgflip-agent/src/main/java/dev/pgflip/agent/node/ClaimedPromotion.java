package dev.pgflip.agent.node;

/**
 * Another data node's promotion as the witness holds it ({@code pgflip.promotion}): claimed by its promote hook and
 * not recorded yet (it may still fail: {@code repmgr standby promote} refuses when it finds a primary), or recorded
 * onto a timeline newer than this node's (it happened).
 */
public record ClaimedPromotion(String node, boolean recorded) {}
