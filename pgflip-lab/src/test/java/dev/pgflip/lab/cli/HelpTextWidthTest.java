package dev.pgflip.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Each line of a command's description is printed as a line of its help, and picocli breaks one wider than the usage
 * width wherever the width runs out, so a paragraph reads "... its\npromote_command\ncalls ...". The lines must fit.
 */
class HelpTextWidthTest {
    /** A repmgr.conf setting to copy (key='value') stays whole: repmgr has no line continuation. */
    private static final String CONF_LINE = "\\s*\\w+='.*'";

    @Test
    void everyDescriptionLineOfEveryCommandFitsTheUsageWidth() {
        assertThat(tooWide(PgflipMain.commandLine())).isEmpty();
    }

    private static List<String> tooWide(CommandLine command) {
        List<String> found = new ArrayList<>();
        for (String line : command.getCommandSpec().usageMessage().description()) {
            String shown = String.format(line);
            if (shown.length() > command.getUsageHelpWidth() && !shown.matches(CONF_LINE)) {
                found.add(command.getCommandSpec().qualifiedName() + " [" + shown.length() + "]: " + shown);
            }
        }
        command.getSubcommands().values().stream().distinct().forEach(sub -> found.addAll(tooWide(sub)));
        return found;
    }
}
