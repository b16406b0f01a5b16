package dev.pgflip.lab.drill;

import java.util.Locale;

/**
 * Markup for the drill report, built in one buffer. Every piece of text goes through {@link #escape}, so an event
 * name or an error message can hold {@code <&>"} and still leave the page (and its inline SVG, which is parsed as
 * XML) well formed. Attribute values are escaped the same way.
 *
 * <pre>{@code
 * HtmlWriter html = new HtmlWriter();
 * html.open("td", "class", "num").text("1840 ms").close("td");
 * }</pre>
 */
final class HtmlWriter {
    /** What a missing time or figure shows as. */
    static final String NONE = "\u2014";

    private final StringBuilder out = new StringBuilder(16_384);

    /** Escapes the five XML special characters; {@code null} becomes the empty string. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A time in milliseconds for a table cell, or {@link #NONE} when it was not measured. */
    static String millis(Long ms) {
        return ms == null ? NONE : ms + " ms";
    }

    /** A number for an SVG coordinate: at most one decimal, never a locale's decimal comma. */
    static String coord(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Opens an element with attribute name/value pairs (values escaped). */
    HtmlWriter open(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    /** An element without content: {@code <rect .../>} (SVG) or a void HTML element. */
    HtmlWriter empty(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append("/>");
        return this;
    }

    HtmlWriter close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element holding only text. */
    HtmlWriter element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    HtmlWriter text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Markup that is already well formed (a constant, or the output of another writer). */
    HtmlWriter raw(String markup) {
        out.append(markup);
        return this;
    }

    HtmlWriter newline() {
        out.append('\n');
        return this;
    }

    private void attributes(String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs, got " + attributes.length + " strings");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
