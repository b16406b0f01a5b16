package dev.pgflip.agent.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command repmgr runs through the shell ({@code promote_command}, {@code event_notification_command}), split into
 * words the way a shell would for the cases that matter here (blanks, single and double quotes).
 */
record HookCommand(String text, List<String> words) {
    /** pgflip itself, a wrapper named after it (the lab's pgflip-promote) or its jar. */
    private static final Pattern PGFLIP = Pattern.compile("pgflip([-._][A-Za-z0-9._-]*)?");

    HookCommand {
        words = List.copyOf(words);
    }

    static HookCommand parse(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return new HookCommand(text, words);
    }

    String program() {
        return words.isEmpty() ? "" : words.get(0);
    }

    /**
     * Whether the command runs pgflip's {@code verb}: a word naming pgflip followed by the verb
     * ({@code pgflip promote}, {@code java -jar pgflip.jar promote}), or a wrapper whose name says both
     * ({@code pgflip-promote}).
     */
    boolean runsPgflip(String verb) {
        for (int i = 0; i < words.size(); i++) {
            String name = words.get(i).substring(words.get(i).lastIndexOf('/') + 1);
            if (PGFLIP.matcher(name).matches()
                    && (name.contains(verb) || words.subList(i + 1, words.size()).contains(verb))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the program cannot be started, if it cannot: an absolute path must be an executable file; a bare name must
     * be on PATH (repmgrd's PATH may be shorter than a login shell's, so an absolute path is safer).
     */
    Optional<String> unrunnableProgram(Map<String, String> env) {
        String program = program();
        if (program.isEmpty()) {
            return Optional.of("the command is empty");
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.empty()
                    : Optional.of(program + " does not exist or is not executable");
        }
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.empty();
            }
        }
        return Optional.of(program + " is not on PATH (give repmgr an absolute path)");
    }
}
