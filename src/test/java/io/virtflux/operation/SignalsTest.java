package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** What operators watch: Prometheus meters of the pipeline, and health groups. */
@SpringBootTest
@AutoConfigureWebTestClient
@Import(OneLaneTestConfig.class)
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class SignalsTest extends JournalTestSupport {

  @Autowired WebTestClient web;

  @Test
  void prometheusShowsOperationsByKindPhaseAndHostWithHistograms() {
    String host = unique("host");
    Operation op =
        operations
            .submit(request(OperationKind.SUSPEND, unique("vm"), host), c -> Mono.just("ok"))
            .block();
    awaitPhase(op.id(), Phase.SUCCEEDED);
    String metrics =
        web.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains(
            "virtflux_operations_total{host=\""
                + host
                + "\",kind=\"SUSPEND\",phase=\"SUCCEEDED\"} 1.0")
        .contains("virtflux_operation_queue_wait_seconds_bucket{host=\"" + host + "\"")
        .contains(
            "virtflux_operation_duration_seconds_count{host=\""
                + host
                + "\",kind=\"SUSPEND\",outcome=\"SUCCEEDED\"} 1")
        .contains("virtflux_events_subscribers");
  }

  @Test
  void readinessIsTheJournalAndHostsAreReportedApart() {
    web.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("UP")
        .jsonPath("$.components.hosts")
        .doesNotExist();
    web.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components.hosts.status")
        .isEqualTo("UP")
        .jsonPath("$.components.hosts.details.total")
        .exists();
    web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
  }
}
