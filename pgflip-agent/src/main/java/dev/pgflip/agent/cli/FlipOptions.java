package dev.pgflip.agent.cli;

import dev.pgflip.common.DurationText;
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
            description = "Give up after this long: " + DurationText.FORMS + ". Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse("--timeout", value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
