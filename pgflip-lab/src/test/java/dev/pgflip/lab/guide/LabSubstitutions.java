package dev.pgflip.lab.guide;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a guide block needs changed to run on the lab instead of DigitalOcean: only the things that cannot point at
 * the lab (the guide's own "On the lab" notes say the same). Everything else runs as written.
 */
final class LabSubstitutions {
    /** A placeholder the reader fills in ({@code <n1-droplet-id>}); one left in a block that runs is an error. */
    static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z][^<>\\n]*>");

    private LabSubstitutions() {}

    static Map<String, String> table(Path pgflipJar) {
        Map<String, String> table = new LinkedHashMap<>();
        // Section 3's note, "On the lab": eval "$(./pgflip lab env)" runs first, and these three point at the emulator.
        table.put("API=https://api.digitalocean.com; TOKEN_FILE=~/.config/pgflip/admin-token; REGION=fra1",
                "API=$DIGITALOCEAN_API_URL; TOKEN_FILE=$PGFLIP_DO_TOKEN_FILE; REGION=lab1");
        table.put("http://169.254.169.254/metadata/v1", "http://198.18.0.1:9080/metadata/v1");
        // The lab's n1 already holds the lab's own IP, and a droplet holds one reserved IP at most (422 otherwise):
        // section 3's new IP goes to the witness n3's droplet.
        table.put("<n1-droplet-id>", "103");
        table.put("./pgflip ", "java -jar " + pgflipJar + " ");
        return table;
    }

    static String apply(String text, Path pgflipJar) {
        String result = text;
        for (Map.Entry<String, String> entry : table(pgflipJar).entrySet()) {
            result = result.replace(entry.getKey(), entry.getValue());
        }
        return result;
    }
}
