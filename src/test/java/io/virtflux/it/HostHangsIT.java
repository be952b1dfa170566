package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.testcontainers.containers.GenericContainer;

/**
 * A host's libvirtd hangs (SIGSTOP) while an operation runs on it: the operation fails at its
 * timeout, the host's lane takes the next operation, other hosts' operations complete meanwhile,
 * libvirt's keepalive drops the dead connection (the host turns OFFLINE), and after SIGCONT the
 * service reconnects by itself and the host works again.
 */
class HostHangsIT extends LabServiceTest {

  private static final LabHost FROZEN = Lab.host(5);

  GenericContainer<?> host;

  @BeforeEach
  void start() {
    host = Lab.startOwn(FROZEN);
  }

  @AfterEach
  void stop() {
    if (host != null) {
      signal("CONT");
      host.stop();
    }
  }

  @Test
  void anOperationOnAFrozenHostTimesOutTheLaneMovesOnAndTheHostRecovers() {
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", FROZEN.name(), "uri", FROZEN.uri()))
        .exchange()
        .expectStatus()
        .isCreated();
    awaitState("ONLINE", Duration.ofSeconds(20));
    api.succeeded(sync(FROZEN.name()));

    signal("STOP");
    long frozenAt = System.nanoTime();
    Map<String, Object> stuck = sync(FROZEN.name());
    Map<String, Object> next = sync(FROZEN.name());
    // meanwhile, another host works as usual
    api.succeeded(sync(SINGLE));

    Map<String, Object> timedOut = api.await(stuck);
    assertThat(timedOut.get("phase")).as("%s", timedOut).isEqualTo("FAILED");
    assertThat(at(timedOut, "error", "status").toString()).as("%s", timedOut).isEqualTo("504");
    assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).isLessThan(Duration.ofSeconds(20));
    // the lane did not stay held by the hung call: the next operation ran (and ended) too
    Map<String, Object> after = api.await(next);
    assertThat(after.get("phase")).as("%s", after).isIn("FAILED", "SUCCEEDED");
    assertThat(after.get("startedAt")).as("%s", after).isNotNull();

    // libvirt's keepalive (5 s x 3) gives up on the frozen daemon; the call that sees it drops
    // the connection
    awaitState("OFFLINE", Duration.ofSeconds(60));
    signal("CONT");
    awaitState("ONLINE", Duration.ofSeconds(45));
    api.succeeded(sync(FROZEN.name()));

    api.client()
        .delete()
        .uri("/api/v1/hosts/{h}?force=true", FROZEN.name())
        .exchange()
        .expectStatus()
        .isNoContent();
  }

  private Map<String, Object> sync(String hostName) {
    return api.submit("/api/v1/hosts/" + hostName + "/sync", null);
  }

  private void awaitState(String state, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Map<String, Object> h;
    while (!state.equals((h = api.get("/api/v1/hosts/" + FROZEN.name())).get("state"))) {
      assertThat(System.nanoTime()).as("host %s: %s", state, h).isLessThan(deadline);
      Guests.sleep(250);
    }
  }

  private void signal(String signal) {
    Lab.signalLibvirtd(host, signal);
  }
}
