package dev.pgflip.examples.springcountries;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The Spring Boot app on a real lab, in this JVM, with the settings {@code ./pgflip lab env} prints (the password from
 * the lab's pgpass file, as the README runs it): writes through the floating IP, {@code @Transactional(readOnly =
 * true)} reads on the standby (the server's own answer, asked inside the transaction), the {@code pgflip.*} meters
 * and the {@code pgflip} health indicator on the actuator, then kill -9 of the primary under a trickle of writes: the
 * next write succeeds on the promoted standby, and no acknowledged write is missing there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringCountriesIT {
    private static final String PGPASSFILE_PROPERTY = "org.postgresql.pgpassfile";

    private static LabProcess lab;
    private static ConfigurableApplicationContext app;
    private static AppClient client;

    @BeforeAll
    static void labAndAppUp() throws Exception {
        long labStart = System.nanoTime();
        lab = LabProcess.up();   // may first wait for the machine's lab lock
        System.out.printf("spring-countries-it: lab up after %d ms%n", ms(System.nanoTime() - labStart));
        Map<String, String> env = lab.env();
        // What `eval "$(./pgflip lab env)"` gives the README's java -jar; in this JVM, pgjdbc reads the pgpass file
        // named by this property (its PGPASSFILE), and command-line arguments win over anything in the environment.
        System.setProperty(PGPASSFILE_PROPERTY, env.get("PGPASSFILE"));
        long start = System.nanoTime();
        app = new SpringApplicationBuilder(SpringCountriesApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--pgflip.write=" + env.get("PGFLIP_WRITE"), "--pgflip.read=" + env.get("PGFLIP_READ"),
                "--pgflip.database=" + env.get("PGDATABASE"), "--spring.datasource.username=" + env.get("PGUSER"),
                "--spring.datasource.password=");
        System.out.printf("spring-countries-it: app started in %d ms%n", ms(System.nanoTime() - start));
        client = new AppClient(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void appAndLabDown() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            System.clearProperty(PGPASSFILE_PROPERTY);
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    @Order(1)
    void aPostIsWrittenOnThePrimaryThroughTheFloatingIp() throws Exception {
        AppClient.Response created = client.postCountry("Portugal", true);
        System.out.println("spring-countries-it POST /countries: " + created);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("country").path("country_id").asInt()).isEqualTo(1);
        assertThat(created.servedBy().path("address").asString()).isEqualTo(LabProcess.FLIP);
        assertThat(created.servedBy().path("in_recovery").asBoolean()).isFalse();
        assertThat(created.servedBy().path("node").asString()).isEqualTo("n1");
    }

    @Test
    @Order(2)
    void aReadOnlyTransactionIsServedByTheStandby() throws Exception {
        AppClient.Response all = client.get("/countries");
        System.out.println("spring-countries-it GET /countries: " + all);

        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.body().path("countries").toString())
                .isEqualTo("[{\"country_id\":1,\"name\":\"Portugal\",\"is_eu_member\":true}]");
        assertThat(all.servedBy().path("in_recovery").asBoolean()).as(all.toString()).isTrue();
        assertThat(all.servedBy().path("address").asString()).isEqualTo(LabProcess.N2);
        // Not only the app's word: the address it reports is a node in recovery.
        try (Connection c = LabProcess.connect(all.servedBy().path("address").asString());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    @Order(3)
    void thePgflipMetersAreOnTheActuator() throws Exception {
        JsonNode names = client.get("/actuator/metrics").body().path("names");
        assertThat(strings(names)).contains("pgflip.routed", "pgflip.evictions", "pgflip.host.healthy",
                "pgflip.host.replay.lag", "pgflip.retries", "pgflip.commits.ambiguous");

        AppClient.Response standbyReads = client.get("/actuator/metrics/pgflip.routed?tag=role:reader&tag=host:"
                + LabProcess.N2 + ":5432");
        assertThat(standbyReads.status()).as(standbyReads.toString()).isEqualTo(200);
        assertThat(measurement(standbyReads.body(), "COUNT")).as("the GET's connection").isGreaterThanOrEqualTo(1);
        AppClient.Response writerHealthy = client.get("/actuator/metrics/pgflip.host.healthy?tag=role:writer");
        assertThat(measurement(writerHealthy.body(), "VALUE")).isEqualTo(1.0);

        // HikariCP's own meters, one series per pgflip pool, as a HikariCP dashboard expects them.
        AppClient.Response hikari = client.get("/actuator/metrics/hikaricp.connections.active");
        System.out.println("spring-countries-it GET /actuator/metrics/hikaricp.connections.active: " + hikari);
        assertThat(hikari.status()).as(hikari.toString()).isEqualTo(200);
        assertThat(tagValues(hikari.body(), "pool")).contains("pgflip-countries-writer", "pgflip-countries-reader-1",
                "pgflip-countries-reader-2");
        // Spring Boot's own pool meters, through pgflip's DataSourcePoolMetadataProvider (the writer pool).
        AppClient.Response boot = client.get("/actuator/metrics/jdbc.connections.max");
        assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
        assertThat(measurement(boot.body(), "VALUE")).isEqualTo(10.0);
    }

    private static List<String> tagValues(JsonNode metric, String tag) {
        for (JsonNode t : metric.path("availableTags")) {
            if (t.path("tag").asString().equals(tag)) {
                return strings(t.path("values"));
            }
        }
        return List.of();
    }

    @Test
    @Order(4)
    void theHealthIndicatorShowsTheWriterAndEachReader() throws Exception {
        AppClient.Response health = client.get("/actuator/health");
        JsonNode pgflip = health.body().path("components").path("pgflip");
        System.out.println("spring-countries-it GET /actuator/health: " + health);

        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.body().path("status").asString()).isEqualTo("UP");
        assertThat(pgflip.path("status").asString()).isEqualTo("UP");
        assertThat(host(pgflip.path("details").path("writer"))).isEqualTo(LabProcess.FLIP + ":5432 PRIMARY usable");
        assertThat(StreamSupport.stream(pgflip.path("details").path("readers").spliterator(), false)
                .map(SpringCountriesIT::host).toList())
                .containsExactly(LabProcess.N2 + ":5432 STANDBY usable", LabProcess.N1 + ":5432 PRIMARY usable");
    }

    @Test
    @Order(5)
    void afterKillingThePrimaryTheNextWriteSucceedsOnThePromotedStandby() throws Exception {
        WriteTrickle trickle = new WriteTrickle();
        trickle.start();
        Thread.sleep(1000);

        lab.fault("kill", "n1");
        long killed = System.nanoTime();
        AppClient.Response next = client.postCountry("Spain", true);
        long nextMillis = ms(System.nanoTime() - killed);
        Thread.sleep(2000);
        trickle.stop();

        List<WriteTrickle.Outcome> failed = trickle.outcomes.stream().filter(o -> o.response().status() != 201).toList();
        long afterKill = trickle.outcomes.stream().filter(o -> o.sentNanos() >= killed)
                .filter(o -> o.response().status() == 201).count();
        System.out.printf("spring-countries-it failover: next write after the kill answered %d in %d ms, %s;"
                        + " trickle: %d writes, %d acknowledged after the kill, %d failed %s, slowest %d ms%n",
                next.status(), nextMillis, next.servedBy(), trickle.outcomes.size(), afterKill, failed.size(), failed,
                trickle.outcomes.stream().mapToLong(o -> o.response().millis()).max().orElse(0));

        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        assertThat(trickle.unanswered).as("requests the app never answered").isEmpty();
        assertThat(next.servedBy().path("in_recovery").asBoolean()).isFalse();
        // Through the floating IP once it has moved, or straight to n2 before (pgflip's direct writes).
        assertThat(next.servedBy().path("address").asString()).as("the floating IP or the promoted standby's own")
                .isIn(LabProcess.FLIP, LabProcess.N2);
        assertThat(next.servedBy().path("node").asString()).as("the promoted standby").isEqualTo("n2");
        // A request in flight at the kill is run again by FailoverTransactions; only one whose COMMIT was under way
        // may fail, and then says so.
        assertThat(failed).allSatisfy(o -> assertThat(o.response().body().path("error").asString())
                .as(o.toString()).isEqualTo("commit_outcome_unknown"));
        assertThat(afterKill).as("the trickle went on after the kill").isGreaterThan(0);
        assertThat(acknowledgedIdsMissingOn(LabProcess.N2, trickle, next)).as("acknowledged, missing on n2").isEmpty();
    }

    @Test
    @Order(6)
    void afterTheFailoverHealthAndReadsFollowTheNewPrimary() throws Exception {
        // The writes may have come back before the floating IP moved (direct writes): wait for both.
        JsonNode pgflip = awaitHealth(p -> host(p.path("details").path("readers").get(1)).endsWith("DOWN")
                && host(p.path("details").path("writer")).endsWith("PRIMARY usable"));
        assertThat(pgflip.path("status").asString()).isEqualTo("UP");
        assertThat(host(pgflip.path("details").path("writer"))).isEqualTo(LabProcess.FLIP + ":5432 PRIMARY usable");
        assertThat(host(pgflip.path("details").path("readers").get(0))).isEqualTo(LabProcess.N2 + ":5432 PRIMARY usable");
        assertThat(host(pgflip.path("details").path("readers").get(1))).isEqualTo(LabProcess.N1 + ":5432 DOWN");

        AppClient.Response all = client.get("/countries");
        System.out.println("spring-countries-it after the failover: pgflip health " + pgflip + "\nGET /countries: " + all);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.body().path("countries").toString()).contains("\"Portugal\"").contains("\"Spain\"");
        assertThat(all.servedBy().path("node").asString()).as("no standby left: the primary in the read list").isEqualTo("n2");
        assertThat(measurement(client.get("/actuator/metrics/pgflip.failovers").body(), "COUNT"))
                .as("the writer came back writable").isGreaterThanOrEqualTo(1.0);
    }

    /** Sequential POSTs from one client thread, each recorded with when it was sent and what came back. */
    private static final class WriteTrickle {
        record Outcome(long sentNanos, AppClient.Response response) {}

        final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        final List<Exception> unanswered = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "spring-countries-it-trickle");

        void start() {
            thread.start();
        }

        private void run() {
            for (int i = 1; running.get(); i++) {
                long sent = System.nanoTime();
                try {
                    outcomes.add(new Outcome(sent, client.postCountry("Trickle " + i, false)));
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    unanswered.add(e);   // no HTTP answer within the client's timeout: asserted empty
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(40));
            assertThat(thread.isAlive()).as("trickle thread ended").isFalse();
        }
    }

    private static Set<Integer> acknowledgedIdsMissingOn(String host, WriteTrickle trickle, AppClient.Response next)
            throws Exception {
        Set<Integer> acknowledged = new HashSet<>();
        trickle.outcomes.stream().filter(o -> o.response().status() == 201)
                .forEach(o -> acknowledged.add(o.response().body().path("country").path("country_id").asInt()));
        acknowledged.add(next.body().path("country").path("country_id").asInt());
        try (Connection c = LabProcess.connect(host); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT country_id FROM countries")) {
            while (rs.next()) {
                acknowledged.remove(rs.getInt(1));
            }
        }
        return acknowledged;
    }

    /** The pgflip health component once it satisfies {@code condition}, polled for at most 10 s. */
    private static JsonNode awaitHealth(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode pgflip = client.get("/actuator/health").body().path("components").path("pgflip");
        while (!condition.test(pgflip) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            pgflip = client.get("/actuator/health").body().path("components").path("pgflip");
        }
        return pgflip;
    }

    private static String host(JsonNode h) {
        return h.path("host").asString() + " " + h.path("state").asString() + (h.path("usable").asBoolean() ? " usable" : "");
    }

    private static double measurement(JsonNode metric, String statistic) {
        for (JsonNode m : metric.path("measurements")) {
            if (m.path("statistic").asString().equals(statistic)) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + metric);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
