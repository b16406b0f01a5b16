package dev.pgflip.agent.cli;

import dev.pgflip.agent.doctor.DoctorOutput;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options of {@code pgflip doctor}; public so that the lab's {@code doctor --lab NODE} offers the same ones. */
public final class DoctorOptions {
    public static final Path DEFAULT_CONFIG = dev.pgflip.agent.packaging.DebianLayout.CONFIG;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The agent's YAML configuration, as pgflip watch uses it. Default: /etc/pgflip/agent.yaml (the package's).")
    Path config;

    @Option(names = "--repmgr-config", paramLabel = "FILE",
            description = "This node's repmgr.conf. Default: the one the agent's config names (rejoin: repmgr_conf), else /etc/repmgr.conf.")
    Path repmgrConfig;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", converter = FormatConverter.class,
            description = "text: one line per check, the fix under each failure; json: the same as an object. Default: ${DEFAULT-VALUE}.")
    DoctorOutput.Format output;

    /** The agent config to check; {@link #DEFAULT_CONFIG} unless --config was given. */
    public Path config() {
        return config == null ? DEFAULT_CONFIG : config;
    }

    public boolean configGiven() {
        return config != null;
    }

    public Optional<Path> repmgrConfig() {
        return Optional.ofNullable(repmgrConfig);
    }

    public DoctorOutput.Format output() {
        return output;
    }

    /** text or json, in any case (the lab mounts this command on a command line of its own). */
    public static final class FormatConverter implements ITypeConverter<DoctorOutput.Format> {
        @Override
        public DoctorOutput.Format convert(String value) {
            for (DoctorOutput.Format f : DoctorOutput.Format.values()) {
                if (f.name().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new TypeConversionException("\"" + value + "\" is not text or json");
        }
    }
}
