package dev.pgflip.agent.cli;

import dev.pgflip.agent.doctor.Doctor;
import dev.pgflip.agent.doctor.DoctorOutput;
import dev.pgflip.agent.doctor.DoctorReport;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgflip doctor}: is this node ready for a failover? */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Check that this database node is ready for a failover.",
            "Explains each problem and how to fix it; changes nothing.",
            "",
            "Run it on every node (primary, standby, witness) as the user repmgrd runs as",
            "(postgres), after setting a node up and after each change. It reads the agent's",
            "config and repmgr.conf, and asks the local PostgreSQL, the nodes listed in",
            "repmgr.nodes, the DigitalOcean API and the droplet metadata service.",
            "",
            "Checks, one line each (the name is the \"check\" field of -o json):",
            "  agent_config       the agent's YAML loads as pgflip watch loads it",
            "  repmgr_conf        repmgr.conf is found, parses as repmgr parses it, and",
            "                     its node_name is the agent's node.name",
            "  failover           failover='automatic'",
            "  promote_command    runs pgflip promote (or a pgflip-promote wrapper) and",
            "                     its program exists",
            "  event_notification_command  runs pgflip event",
            "  repmgr_log_dir     the directory of repmgr.conf's log_file exists and",
            "                     postgres may write there",
            "  repmgrd_daemonize  Debian's repmgrd init script, when enabled, runs it",
            "                     with --daemonize=false",
            "  start_conf         a Debian cluster's start.conf is manual: a rebooted old",
            "                     primary does not come up writable by itself",
            "  start_guard        pgflip start-guard runs before PostgreSQL starts (a",
            "                     systemd drop-in on Debian, else service_start_command)",
            "  ip_resource        digitalocean.resource is reserved_ips (info otherwise)",
            "  socket_destroy     the kernel has CONFIG_INET_DIAG_DESTROY: pgflip watch can",
            "                     end a repmgrd connection stuck on a frozen primary",
            "  postgres           the local PostgreSQL answers to node.database",
            "  superuser          node.database.user is a superuser (ALTER SYSTEM,",
            "                     pg_terminate_backend, CHECKPOINT)",
            "  primary            exactly one node of repmgr.nodes answers as primary",
            "  repmgrd            repmgrd runs and is not paused (asked like 'repmgr",
            "                     service status' does; else repmgrd_pid_file)",
            "  wal_log_hints      on, or data checksums: pg_rewind, which pgflip rejoin",
            "                     uses, needs one of them",
            "  replication_slots  max_replication_slots covers use_replication_slots",
            "  hot_standby        on: standbys answer repmgrd, pgflip and readers",
            "  synchronous_replication  synchronous_standby_names and synchronous_commit",
            "                     agree with the agent's replication: section",
            "  shared_preload_libraries  includes repmgr",
            "  rejoin_path        the floating IP leads to the primary for this node's",
            "                     user and password, as pgflip rejoin will connect",
            "  probe_port         fencing.probe_port answers on every other data node (its",
            "                     pgflip watch listens there): no backend forked per probe",
            "  token              the DigitalOcean token is found and readable, in a file",
            "                     of mode 0600 (or DIGITALOCEAN_ACCESS_TOKEN)",
            "  token_accepted     the API accepts it (GET /v2/account)",
            "  droplet_id         this droplet's id: node.droplet_id or the metadata service",
            "  flip_region        the floating IP exists, in this droplet's region",
            "  flip_holder        the API has it on the current primary's droplet",
            "  token_write_scope  the token may move the IP (a read-only one gets 403 at",
            "                     the failover): proven by posting an action the API",
            "                     cannot carry out, so nothing changes",
            "  client_timeouts    advice for the application's connections (never fails)",
            "",
            "A setting is judged on the value it will have after the next restart when",
            "one is pending (pg_settings.pending_restart). A check whose input is missing",
            "is skipped (-), so one cause counts once. Nothing secret is printed.",
            "",
            "Examples:",
            "  pgflip doctor --config /etc/pgflip/agent.yaml",
            "  pgflip doctor -o json | jq '.checks[] | select(.status == \"fail\")'",
        },
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed", "N:the number of failed checks (at most 100)"})
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    DoctorOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return examine(options, spec.commandLine().getOut());
    }

    /** Runs the checks here, prints the report and returns the exit code (also the lab's doctor without --lab). */
    public static int examine(DoctorOptions options, PrintWriter out) {
        DoctorReport report = new Doctor(options.config(), options.repmgrConfig(), Environment.current()).examine();
        out.print(DoctorOutput.render(report, options.output(), Charset.defaultCharset()));
        out.flush();
        return report.exitCode();
    }
}
