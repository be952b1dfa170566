package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Virsh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Placement never overcommits a host: the lab hosts are configured so that only {@link #PER_HOST}
 * lab guests fit on it-a and it-b (their reservedMemoryMiB holds back the rest of the memory) and
 * none on it-c, and three times as many deploys without a host are sent at once. Exactly those that
 * fit are accepted and succeed; the others are refused at submission with 409 "No host fits".
 */
class PlacementIT extends LabServiceTest {

  /** The lab guest's memory ({@link Guests#template}). */
  private static final long GUEST = 192;

  private static final int PER_HOST = 2;
  private static final List<String> ROOMY = List.of("it-a", "it-b");
  private static final String FULL = "it-c";

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  /**
   * Reserves all of each host's memory but room for two guests and a half (it-a, it-b) or nothing
   * (it-c), as read with virsh before the service starts: its memory less what its domains have.
   */
  @DynamicPropertySource
  static void reserves(DynamicPropertyRegistry registry) {
    List<LabHost> hosts = Lab.hosts();
    for (int i = 0; i < hosts.size(); i++) {
      LabHost h = hosts.get(i);
      long room = h.name().equals(FULL) ? 0 : PER_HOST * GUEST + GUEST / 2;
      long reserve = totalMiB(h) - domainsMiB(h) - room;
      registry.add("virtflux.hosts[" + i + "].reserved-memory-mib", () -> reserve);
    }
    // one probe at start-up: the test reads the hosts again through sync, when it wants to
    registry.add("virtflux.probe-interval", () -> "0s");
  }

  static long totalMiB(LabHost h) {
    return kib(Virsh.run(h, "nodeinfo"), "Memory size:") / 1024;
  }

  /** The maximum memory of every domain the host has, as the service counts it. */
  static long domainsMiB(LabHost h) {
    long kib = 0;
    for (String vm : Virsh.run(h, "list", "--all", "--name").split("\\s+")) {
      if (!vm.isBlank()) {
        kib += kib(Virsh.run(h, "dominfo", vm), "Max memory:");
      }
    }
    return kib / 1024;
  }

  private static long kib(String out, String label) {
    Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+(\\d+) KiB").matcher(out);
    if (!m.find()) {
      throw new AssertionError("no '" + label + "' in: " + out);
    }
    return Long.parseLong(m.group(1));
  }

  @Test
  void threeTimesTheDeploysThatFitAreSentAtOnceAndOnlyThoseThatFitArePlaced() throws Exception {
    Map<String, Map<String, Object>> before = hosts();
    for (String h : ROOMY) {
      assertThat(((Number) at(before.get(h), "memory", "availableMiB")).longValue() / GUEST)
          .as("guests that fit on %s: %s", h, before.get(h))
          .isEqualTo(PER_HOST);
      assertThat(before.get(h).get("promisedMemoryMiB")).isEqualTo(0);
    }
    assertThat(((Number) at(before.get(FULL), "memory", "availableMiB")).longValue()).isZero();

    int fit = PER_HOST * ROOMY.size();
    int sent = 3 * fit;
    List<Map<String, Object>> bodies = new ArrayList<>();
    for (int i = 0; i < sent; i++) {
      bodies.add(Map.of("template", Guests.template("it-place-" + i, 0.25)));
    }
    List<Map<String, Object>> accepted = new ArrayList<>();
    Throwable failure = null;
    AtomicBoolean sampling = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> overcommitted = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(sent + 1);
    try {
      // watches every host while the deploys are placed and run
      Future<Integer> samples =
          pool.submit(
              () -> {
                int n = 0;
                while (sampling.get()) {
                  check(before, overcommitted);
                  n++;
                  Guests.sleep(100);
                }
                return n;
              });
      CountDownLatch go = new CountDownLatch(1);
      List<Future<EntityExchangeResult<Map<String, Object>>>> answers = new ArrayList<>();
      for (Map<String, Object> body : bodies) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.client()
                      .post()
                      .uri("/api/v1/vms")
                      .contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(body)
                      .exchange()
                      .expectBody(JSON)
                      .returnResult();
                }));
      }
      go.countDown();

      List<Map<String, Object>> refused = new ArrayList<>();
      for (Future<EntityExchangeResult<Map<String, Object>>> f : answers) {
        EntityExchangeResult<Map<String, Object>> r = f.get(3, TimeUnit.MINUTES);
        int status = r.getStatus().value();
        assertThat(status).as("%s", r.getResponseBody()).isIn(202, 409);
        if (status == 202) {
          accepted.add(r.getResponseBody());
        } else {
          assertThat(r.getResponseHeaders().getContentType())
              .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
          refused.add(r.getResponseBody());
        }
      }
      assertThat(accepted).as("accepted of %s sent", sent).hasSize(fit);
      assertThat(refused).hasSize(sent - fit);
      for (Map<String, Object> problem : refused) {
        assertThat(problem.get("title")).isEqualTo("No host fits");
        assertThat(problem.get("status")).isEqualTo(409);
        assertThat(problem.get("detail").toString())
            .contains(
                "it-a: needs 192 MiB of memory",
                "it-b: needs 192 MiB of memory",
                FULL + ": needs 192 MiB of memory, 0 MiB left",
                "reserved",
                "promised to deploys");
        assertThat(problem.get("candidates").toString()).contains("promisedMemoryMiB=");
      }

      List<String> placedOn = new ArrayList<>();
      for (Map<String, Object> op : accepted) {
        Map<String, Object> done = api.succeeded(op);
        placedOn.add(at(done, "result", "host").toString());
        assertThat(at(done, "result", "placement", "why").toString()).contains("192 MiB promised");
      }
      assertThat(placedOn).containsExactlyInAnyOrder("it-a", "it-a", "it-b", "it-b");

      sampling.set(false);
      assertThat(samples.get(1, TimeUnit.MINUTES)).isPositive();
      assertThat(overcommitted).isEmpty();

      // ended, but no reading of the hosts has counted the domains yet: still promised, so the
      // memory is not free twice in the window before the next probe
      Map<String, Map<String, Object>> ended = hosts();
      for (String h : ROOMY) {
        assertThat(ended.get(h).get("promisedMemoryMiB")).isEqualTo((int) (PER_HOST * GUEST));
      }
      assertNoHostFits();

      // a sync reads the hosts: their domains count now instead of the promises
      for (String h : ROOMY) {
        api.succeeded(api.submit("/api/v1/hosts/" + h + "/sync", null));
      }
      Map<String, Map<String, Object>> read = hosts();
      for (String h : ROOMY) {
        assertThat(read.get(h).get("promisedMemoryMiB")).isEqualTo(0);
        long vmsBefore = ((Number) at(before.get(h), "memory", "vmsMiB")).longValue();
        assertThat(((Number) at(read.get(h), "memory", "vmsMiB")).longValue())
            .isEqualTo(vmsBefore + PER_HOST * GUEST);
        assertThat(((Number) at(read.get(h), "memory", "availableMiB")).longValue())
            .isLessThan(GUEST);
      }
      assertNoHostFits();
      check(before, overcommitted);
      assertThat(overcommitted).isEmpty();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      sampling.set(false);
      pool.shutdownNow();
      removeDeployed(accepted, failure);
    }
  }

  /** Removes what the accepted deploys created, once they ended; never hides the test's failure. */
  private void removeDeployed(List<Map<String, Object>> accepted, @Nullable Throwable failure) {
    for (Map<String, Object> op : accepted) {
      try {
        if ("SUCCEEDED".equals(api.await(op).get("phase"))) {
          api.remove(at(op, "target", "vm").toString());
        }
      } catch (RuntimeException | AssertionError e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  private void assertNoHostFits() {
    Map<String, Object> problem =
        api.refused(
            org.springframework.http.HttpMethod.POST,
            "/api/v1/vms",
            Map.of("template", Guests.template("it-place-late", 0.25)),
            409);
    assertThat(problem.get("title")).isEqualTo("No host fits");
  }

  /**
   * Records a host whose VMs and promises exceed what it may give: its memory less the reserve and
   * less what it had before the test, or more than its free memory.
   */
  private void check(Map<String, Map<String, Object>> before, ConcurrentLinkedQueue<String> bad) {
    Map<String, Map<String, Object>> now = hosts();
    for (String h : before.keySet()) {
      Map<String, Object> b = before.get(h);
      Map<String, Object> n = now.get(h);
      long capacity =
          ((Number) at(b, "memory", "totalMiB")).longValue()
              - ((Number) b.get("reservedMemoryMiB")).longValue()
              - ((Number) at(b, "memory", "vmsMiB")).longValue();
      long promised = ((Number) n.get("promisedMemoryMiB")).longValue();
      long placed = placedMiB(h);
      if (promised > capacity
          || placed > capacity
          || promised > ((Number) at(n, "memory", "freeMiB")).longValue()) {
        bad.add(h + ": promised " + promised + ", VMs placed " + placed + ", may give " + capacity);
      }
    }
  }

  /** The memory of the VMs this test placed on {@code host}. */
  private long placedMiB(String host) {
    List<Map<String, Object>> vms =
        api.client()
            .get()
            .uri("/api/v1/vms?host={h}", host)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBodyList(JSON)
            .returnResult()
            .getResponseBody();
    return vms.stream()
        .filter(v -> v.get("name").toString().startsWith("it-place-"))
        .mapToLong(v -> ((Number) v.get("memoryMiB")).longValue())
        .sum();
  }

  private Map<String, Map<String, Object>> hosts() {
    List<Map<String, Object>> all =
        api.client()
            .get()
            .uri("/api/v1/hosts")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBodyList(JSON)
            .returnResult()
            .getResponseBody();
    Map<String, Map<String, Object>> byName = new java.util.TreeMap<>();
    all.forEach(h -> byName.put(h.get("name").toString(), h));
    return byName;
  }
}
