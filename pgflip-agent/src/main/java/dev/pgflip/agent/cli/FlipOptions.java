package dev.pgflip.agent.cli;

import dev.pgflip.agent.config.DurationText;
import dev.pgflip.agent.flip.FlipOutput;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by the {@code flip} subcommands. */
final class FlipOptions {
    @Mixin
    ConfigOption config;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Output format: text (columns) or json. Default: ${DEFAULT-VALUE}.")
    FlipOutput.Format output;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Give up after this long (500ms, 20s, 1m). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value).orElseThrow(() ->
                    new TypeConversionException("\"" + value + "\" is not a duration like 500ms, 20s or 1m"));
        }
    }
}
