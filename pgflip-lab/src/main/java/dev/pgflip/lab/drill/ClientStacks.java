package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The client stacks a drill can run, by the names {@code --clients} takes. */
public final class ClientStacks {
    public static final List<String> NAMES = List.of("pgflip", "hikari", "multihost");

    private ClientStacks() {}

    /** Reads list the standby first, as the seed's Sequelize config does ([standby, primary]). */
    public static Supplier<ClientStack> named(Lab lab, String name) {
        List<String> dataNodes = lab.topology().dataNodes().stream().map(LabNode::address).toList();
        List<String> standbyFirst = new ArrayList<>(dataNodes);
        java.util.Collections.reverse(standbyFirst);
        return switch (name) {
            case "pgflip" -> () -> new PgflipStack(lab.topology().flipIp(), standbyFirst,
                    Lab.APP_USER, Lab.APP_PASSWORD);
            case "hikari" -> () -> HikariStacks.plainHikari(lab.topology().flipIp(), standbyFirst, Lab.APP_USER, Lab.APP_PASSWORD);
            case "multihost" -> () -> HikariStacks.multiHost(dataNodes, Lab.APP_USER, Lab.APP_PASSWORD);
            default -> throw new LabException("unknown client stack '" + name + "': expected pgflip, hikari or multihost");
        };
    }
}
