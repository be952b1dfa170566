package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.SilentListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.testcontainers.containers.GenericContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Forty hosts that never answer (39 listeners that accept TCP and never send a byte, and a lab
 * libvirtd frozen with SIGSTOP, whose kernel still accepts) are registered next to the healthy lab
 * hosts. Each is OFFLINE, with a one-line reason, within the connect timeout. A hundred operations
 * on a healthy host meanwhile take no longer than without them (p99 at most 1.5x the baseline run's
 * in this same test): each host's calls hold only that host's threads, and an unanswering host
 * holds one thread, however often it is probed.
 */
class BlackholedHostsIT extends LabServiceTest {

  private static final int DEAD = 40;
  private static final int OPERATIONS = 100;
  private static final LabHost FROZEN = Lab.host(7); // 127.0.0.68
  // virtflux.libvirt.connect-timeout's default
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  private final List<SilentListener> silent = new ArrayList<>();
  private final List<String> registered = new CopyOnWriteArrayList<>();
  private final Scheduler registrars = Schedulers.newBoundedElastic(DEAD, DEAD, "registrar");
  private GenericContainer<?> frozen;

  @AfterEach
  void cleanUp() throws IOException {
    registrars.dispose();
    for (String name : registered) {
      web.delete()
          .uri("/api/v1/hosts/{h}?force=true", name)
          .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
          .exchange()
          .expectStatus()
          .isNoContent();
    }
    for (SilentListener s : silent) {
      s.close();
    }
    if (frozen != null) {
      signal("CONT");
      frozen.stop();
    }
  }

  @Test
  void fortyHostsThatNeverAnswerAreOfflineInTimeAndSlowNoOtherHost() throws Exception {
    syncs(30); // warm-up: the test JVM compiles the sync path first
    List<Long> baseline = syncs(OPERATIONS);

    List<String> uris = new ArrayList<>();
    for (int i = 0; i < DEAD - 1; i++) {
      SilentListener listener = new SilentListener();
      silent.add(listener);
      uris.add(listener.uri());
    }
    frozen = Lab.startOwn(FROZEN);
    signal("STOP");
    uris.add(FROZEN.uri());

    List<Registration> registrations =
        Flux.range(0, DEAD)
            .flatMap(i -> register("dead-" + i, uris.get(i)), DEAD)
            .collectList()
            .block(Duration.ofMinutes(2));
    assertThat(registrations).hasSize(DEAD);
    for (Registration r : registrations) {
      assertThat(r.host().get("state")).as("%s", r).isEqualTo("OFFLINE");
      String reason = String.valueOf(r.host().get("reason"));
      assertThat(reason).as("%s", r).contains("no answer to connect within").doesNotContain("\n");
      // the registration probes the host: its answer is the host's state
      assertThat(r.took()).as("%s", r).isLessThan(CONNECT_TIMEOUT.plusSeconds(3));
    }

    // steady state: the prober has tried every dead host again (every 5 s) before the measured run
    Thread.sleep(Duration.ofSeconds(11).toMillis());
    syncs(10);
    List<Long> withDead = syncs(OPERATIONS);
    long p99Baseline = p99(baseline);
    long p99WithDead = p99(withDead);
    System.out.printf(
        "blackholed hosts: p99 of %d syncs on %s: %d ms alone, %d ms next to %d dead hosts (%.2fx);"
            + " p50 %d / %d ms; %d connections accepted by the silent listeners%n",
        OPERATIONS,
        SINGLE,
        p99Baseline,
        p99WithDead,
        DEAD,
        (double) p99WithDead / p99Baseline,
        p50(baseline),
        p50(withDead),
        accepted());
    assertThat(p99WithDead)
        .as("p99 next to dead hosts vs alone (ms): %s vs %s", withDead, baseline)
        .isLessThanOrEqualTo(Math.round(p99Baseline * 1.5));
    // each unanswering host was opened once, not once per probe or call
    assertThat(accepted()).isLessThanOrEqualTo(DEAD - 1);
  }

  private record Registration(Map<String, Object> host, Duration took) {}

  private Mono<Registration> register(String name, String uri) {
    return Mono.defer(
            () -> {
              long start = System.nanoTime();
              return web.mutate()
                  .responseTimeout(Duration.ofMinutes(1))
                  .build()
                  .post()
                  .uri("/api/v1/hosts")
                  .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("name", name, "uri", uri))
                  .exchange()
                  .expectStatus()
                  .isCreated()
                  .returnResult(JSON)
                  .getResponseBody()
                  .next()
                  .doOnNext(h -> registered.add(name))
                  .map(h -> new Registration(h, Duration.ofNanos(System.nanoTime() - start)));
            })
        // WebTestClient's exchange() blocks its caller: without a thread each, the forty
        // registrations ran one after the other (40 x the connect timeout, 3.5 min in CI). Threads
        // of the test's own, not Reactor's shared boundedElastic: the service under test runs in
        // this JVM and needs those
        .subscribeOn(registrars);
  }

  /** Runs {@code n} syncs of the healthy single-action host one after the other: ms each. */
  private List<Long> syncs(int n) {
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      api.succeeded(api.submit("/api/v1/hosts/" + SINGLE + "/sync", null));
      took.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
    return took;
  }

  private int accepted() {
    return silent.stream().mapToInt(SilentListener::accepted).sum();
  }

  private static long p99(List<Long> millis) {
    return percentile(millis, 0.99);
  }

  private static long p50(List<Long> millis) {
    return percentile(millis, 0.50);
  }

  private static long percentile(List<Long> millis, double p) {
    List<Long> sorted = millis.stream().sorted().toList();
    return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
  }

  private void signal(String signal) {
    Lab.signalLibvirtd(frozen, signal);
  }
}
