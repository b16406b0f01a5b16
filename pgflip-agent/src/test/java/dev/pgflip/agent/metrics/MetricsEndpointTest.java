package dev.pgflip.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.MetricsConfig;
import dev.pgflip.agent.digitalocean.ApiOperation;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.FlipCheck;
import dev.pgflip.agent.node.SyncState;
import dev.pgflip.agent.node.WatchRecorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over real HTTP, on a free loopback port. */
class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AtomicLong clock = new AtomicLong();
    private final WatchMetrics metrics = WatchMetrics.of(Optional.of(loopback(0)), clock::get).serve();

    @AfterEach
    void stop() {
        metrics.close();
    }

    private static MetricsConfig loopback(int port) {
        return new MetricsConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private URI url(String path) {
        return URI.create(metrics.url().orElseThrow().replace("/metrics", path));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A primary that was promoted, holds the IP, was degraded, then fenced by a rival. */
    static void recordAFailover(WatchRecorder recorder, AtomicLong clock) {
        recorder.roleSeen(NodeRole.STANDBY);
        recorder.roleSeen(NodeRole.PRIMARY);
        recorder.promoted();
        recorder.flipChecked(FlipCheck.HELD);
        recorder.syncSeen(SyncState.ASYNC);
        recorder.possibleDataLoss();
        recorder.fenceSeen(Optional.of(FenceState.Kind.OUTRANKED));
        clock.addAndGet(Duration.ofMillis(2500).toNanos());
    }

    @Test
    void aScrapeShowsEveryMeterWithTheValuesRecorded() throws Exception {
        recordAFailover(metrics.recorder(), clock);
        metrics.apiCalls().completed(ApiOperation.ASSIGN, OptionalInt.of(201), Duration.ofMillis(180));
        metrics.apiCalls().completed(ApiOperation.GET_IP, OptionalInt.of(429), Duration.ofMillis(30));

        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
                "pgflip_watch_role{role=\"primary\"} 1.0",
                "pgflip_watch_role{role=\"standby\"} 0.0",
                "pgflip_watch_role{role=\"unreachable\"} 0.0",
                "pgflip_watch_flip_held 1.0",
                "pgflip_watch_flip_correct 1.0",
                "pgflip_watch_fenced{reason=\"isolated\"} 0.0",
                "pgflip_watch_fenced{reason=\"outranked\"} 1.0",
                "pgflip_watch_sync_state{state=\"async\"} 1.0",
                "pgflip_watch_sync_state{state=\"sync\"} 0.0",
                "pgflip_watch_sync_state{state=\"none\"} 0.0",
                "pgflip_watch_reconcile_age_seconds 2.5",
                "pgflip_watch_promotions_total 1.0",
                "pgflip_watch_possible_data_loss_events_total 1.0",
                "pgflip_watch_api_requests_seconds_count{operation=\"assign\",outcome=\"success\",status=\"201\"} 1",
                "pgflip_watch_api_requests_seconds_bucket{operation=\"assign\",outcome=\"success\",status=\"201\",le=\"0.25\"} 1",
                "pgflip_watch_api_requests_seconds_bucket{operation=\"assign\",outcome=\"success\",status=\"201\",le=\"0.1\"} 0",
                "pgflip_watch_api_requests_seconds_count{operation=\"get_ip\",outcome=\"client_error\",status=\"429\"} 1");
        assertThat(response.body()).contains("# HELP pgflip_watch_fenced 1 while this node is fenced")
                .contains("# TYPE pgflip_watch_reconcile_age_seconds gauge")
                .contains("# TYPE pgflip_watch_promotions_total counter")
                .contains("# TYPE pgflip_watch_api_requests_seconds histogram");
    }

    @Test
    void aScrapeBeforeAnyEventAlreadyListsTheStateMeters() throws Exception {
        String body = send("GET", "/metrics").body();
        assertThat(body.lines()).contains("pgflip_watch_role{role=\"primary\"} 0.0", "pgflip_watch_flip_held NaN",
                "pgflip_watch_fenced{reason=\"outranked\"} 0.0", "pgflip_watch_sync_state{state=\"none\"} 1.0",
                "pgflip_watch_promotions_total 0.0", "pgflip_watch_possible_data_loss_events_total 0.0");
    }

    @Test
    void anyOtherPathIsNotFound() throws Exception {
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/x").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metric").statusCode()).isEqualTo(404);
    }

    @Test
    void anyOtherMethodIsNotAllowed() throws Exception {
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send("DELETE", "/metrics").statusCode()).isEqualTo(405);
        assertThat(send("PUT", "/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void aPortInUseIsAUsageErrorNamingTheKeyAndTheAddress() {
        int port = URI.create(metrics.url().orElseThrow()).getPort();
        WatchMetrics second = WatchMetrics.of(Optional.of(loopback(port)), clock::get);
        assertThatThrownBy(second::serve)
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("metrics.listen 127.0.0.1:" + port + ": cannot serve the metrics there")
                .hasMessageContaining("give a free port");
    }

    @Test
    void closingFreesThePort() throws Exception {
        int port = URI.create(metrics.url().orElseThrow()).getPort();
        send("GET", "/metrics");
        metrics.close();
        try (WatchMetrics again = WatchMetrics.of(Optional.of(loopback(port)), clock::get).serve()) {
            assertThat(again.url()).hasValue("http://127.0.0.1:" + port + "/metrics");
        }
    }

    @Test
    void nothingListensBeforeServeAndTheMetersAlreadyRecord() throws Exception {
        WatchMetrics notYet = WatchMetrics.of(Optional.of(loopback(0)), clock::get);
        notYet.recorder().promoted();
        assertThat(notYet.url()).isEmpty();
        notYet.close();
    }

    @Test
    void scrapesAreServedOnANamedDaemonThread() throws Exception {
        send("GET", "/metrics");
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
            assertThat(t.getName()).isEqualTo("pgflip-metrics-http");
            assertThat(t.isDaemon()).isTrue();
        });
    }

    @Test
    void withoutTheSectionThereIsNoServerAndTheRecordersDoNothing() {
        WatchMetrics off = WatchMetrics.of(Optional.empty(), clock::get);
        assertThat(off).isSameAs(WatchMetrics.OFF);
        assertThat(off.serve()).isSameAs(WatchMetrics.OFF);
        assertThat(off.url()).isEmpty();
        assertThat(off.recorder()).isSameAs(WatchRecorder.NONE);
        assertThat(off.apiCalls()).isSameAs(dev.pgflip.agent.digitalocean.ApiCallListener.NONE);
        off.close();
    }
}
