package dev.pgflip.examples.springcountries;

/** A result and the node whose transaction produced it. */
public record Served<T>(T value, ServingNode node) {
}
