package dev.pgflip.agent.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version stamped into the jar manifest (or "development" when run from classes). */
public final class PgflipVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = PgflipVersion.class.getPackage().getImplementationVersion();
        return new String[] {"pgflip " + (version == null ? "development" : version)};
    }
}
