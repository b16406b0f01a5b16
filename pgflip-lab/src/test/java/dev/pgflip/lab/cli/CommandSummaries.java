package dev.pgflip.lab.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Checks that every command of a tree has a summary that stands alone: the line picocli lists it by in its parent's
 * help (the header's first line, else the description's) is one sentence that fits on one line of that list.
 * Returns one message per breach, naming the command, so one run shows them all.
 */
final class CommandSummaries {
    private CommandSummaries() {}

    static List<String> problems(CommandLine root) {
        List<String> problems = new ArrayList<>();
        collect(root, problems);
        return problems;
    }

    private static void collect(CommandLine command, List<String> problems) {
        String name = command.getCommandSpec().qualifiedName();
        String summary = summaryOf(command);
        if (summary.isBlank()) {
            problems.add(name + ": has no description");
        } else {
            sentenceProblems(summary).forEach(problem -> problems.add(name + ": \"" + summary + "\" " + problem));
        }
        if (command.getParent() == null && summary.length() > command.getUsageHelpWidth()) {
            problems.add(name + ": is longer than one line of its own help");
        }
        List<String> listed = command.getHelp().commandList().lines().toList();
        for (CommandLine sub : command.getSubcommands().values().stream().distinct().toList()) {
            String subName = sub.getCommandSpec().qualifiedName();
            if (sub.getCommandSpec().usageMessage().hidden()) {
                // In no list, but it should read the same if it were ever listed.
                if (("  " + sub.getCommandName() + "  " + summaryOf(sub)).length() > sub.getUsageHelpWidth()) {
                    problems.add(subName + ": would wrap if it were listed");
                }
            } else if (!listedOnOneLine(listed, sub)) {
                problems.add(subName + ": wraps in the command list of '" + name + " --help'");
            }
            collect(sub, problems);
        }
    }

    /** picocli wraps a summary too long for the list's width onto a second line, so its row then ends early. */
    private static boolean listedOnOneLine(List<String> listed, CommandLine sub) {
        String summary = summaryOf(sub);
        return listed.stream().filter(row -> row.stripLeading().startsWith(sub.getCommandName() + " "))
                .anyMatch(row -> row.endsWith(" " + summary));
    }

    static String summaryOf(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
        return lines.length == 0 ? "" : String.format(lines[0]).strip();
    }

    private static List<String> sentenceProblems(String summary) {
        List<String> problems = new ArrayList<>();
        if (!Character.isUpperCase(summary.charAt(0))) {
            problems.add("does not start with a capital letter");
        }
        if (!summary.endsWith(".")) {
            problems.add("does not end with a full stop");
        }
        if (summary.chars().filter(c -> c == '(').count() != summary.chars().filter(c -> c == ')').count()) {
            problems.add("leaves a parenthesis open or closes one never opened");
        }
        return problems;
    }
}
