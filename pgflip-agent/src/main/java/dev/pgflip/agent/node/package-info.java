/**
 * What the watch, the fence, the promote hook and their observers say about a node: its role ({@link
 * dev.pgflip.agent.node.NodeRole}), whether it may act as the only primary ({@link dev.pgflip.agent.node.Standing}),
 * the fence ({@link dev.pgflip.agent.node.FenceState}), the watch's log and its metrics observer. The packages that
 * decide and act ({@code watch}, {@code fence}, {@code promote}) depend on this one and not on each other's
 * vocabulary, so {@code fence} and {@code watch} no longer import each other.
 */
package dev.pgflip.agent.node;
