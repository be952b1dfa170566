package io.virtflux.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Load on many test-driver hosts through the service: per host, {@code perHost} suspend/resume
 * operations submitted in order (each host's lane runs them one by one), all hosts at once with a
 * bound on HTTP requests in flight. Waits for every terminal event.
 */
final class LaneLoad {

  /** What a run produced. */
  record Outcome(
      int operations,
      int succeeded,
      long firstSubmitNanos,
      long lastTerminalNanos,
      List<String> terminals) {
    double seconds() {
      return (lastTerminalNanos - firstSubmitNanos) / 1e9;
    }

    double opsPerSecond() {
      return operations / seconds();
    }
  }

  private LaneLoad() {}

  static Outcome run(
      ServiceClient client, OperationWatch watch, TestHosts hosts, int perHost, int inFlight)
      throws Exception {
    return run(client, watch, hosts, perHost, inFlight, 0);
  }

  /**
   * As {@link #run(ServiceClient, OperationWatch, TestHosts, int, int)}, with submissions paced at
   * {@code perSecond} operations a second (0: as fast as the service takes them).
   */
  static Outcome run(
      ServiceClient client,
      OperationWatch watch,
      TestHosts hosts,
      int perHost,
      int inFlight,
      double perSecond)
      throws Exception {
    List<CompletableFuture<OperationWatch.Terminal>> terminals = new ArrayList<>();
    long start = System.nanoTime();
    AtomicLong submitted = new AtomicLong();
    Flux.range(0, hosts.size())
        .flatMap(
            h ->
                Flux.range(0, perHost)
                    // one host's operations in order, so that suspend and resume alternate
                    .concatMap(
                        i ->
                            paced(start, submitted, perSecond)
                                .then(
                                    client
                                        .post(
                                            "/api/v1/vms/"
                                                + TestHosts.vmOf(hosts.names.get(h))
                                                + "/actions/"
                                                + (i % 2 == 0 ? "suspend" : "resume"),
                                            null)
                                        .flatMap(
                                            response ->
                                                response.status() == 202
                                                    ? Mono.just(response.id())
                                                    : Mono.error(
                                                        response.status() == 503
                                                            ? new Unavailable(response)
                                                            : new IllegalStateException(
                                                                "submission answered " + response)))
                                        // 503 says "try again": an orchestrator would
                                        .retryWhen(
                                            Retry.backoff(5, Duration.ofMillis(200))
                                                .filter(Unavailable.class::isInstance)))),
            inFlight)
        .doOnNext(
            id -> {
              synchronized (terminals) {
                terminals.add(watch.terminal(id));
              }
            })
        .blockLast(Duration.ofMinutes(10));
    int succeeded = 0;
    long last = start;
    List<String> jsons = new ArrayList<>();
    for (CompletableFuture<OperationWatch.Terminal> f : terminals) {
      OperationWatch.Terminal t = f.get(5, TimeUnit.MINUTES);
      last = Math.max(last, t.arrivedNanos());
      succeeded += t.succeeded() ? 1 : 0;
      jsons.add(t.json());
    }
    return new Outcome(terminals.size(), succeeded, start, last, jsons);
  }

  /** A submission answered 503 (a host did not answer in time): retried, as the API invites. */
  private static final class Unavailable extends IllegalStateException {
    Unavailable(Object response) {
      super("submission answered " + response);
    }
  }

  /** Waits until the next submission's slot, when paced. */
  private static Mono<Long> paced(long start, AtomicLong submitted, double perSecond) {
    if (perSecond <= 0) {
      return Mono.just(0L);
    }
    long due = start + (long) (submitted.getAndIncrement() * 1e9 / perSecond);
    long wait = due - System.nanoTime();
    return wait <= 0 ? Mono.just(0L) : Mono.delay(Duration.ofNanos(wait));
  }

  /**
   * Hosts on which two operations overlapped in time (one started before the previous ended), from
   * the operations' own startedAt / finishedAt: empty when every lane ran one action at a time.
   */
  static List<String> overlaps(List<String> terminalJsons) {
    Map<String, List<long[]>> byHost = new HashMap<>();
    for (String json : terminalJsons) {
      String host = hostOf(json);
      byHost
          .computeIfAbsent(host, h -> new ArrayList<>())
          .add(
              new long[] {
                JsonFields.epochNanos(json, "startedAt"), JsonFields.epochNanos(json, "finishedAt")
              });
    }
    List<String> overlapping = new ArrayList<>();
    byHost.forEach(
        (host, spans) -> {
          spans.sort((a, b) -> Long.compare(a[0], b[0]));
          for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i)[0] < spans.get(i - 1)[1]) {
              overlapping.add(host);
              return;
            }
          }
        });
    return overlapping;
  }

  private static String hostOf(String json) {
    int hosts = json.indexOf("\"hosts\":[\"");
    if (hosts < 0) {
      throw new IllegalStateException("no target hosts in " + json);
    }
    int start = hosts + 10;
    return json.substring(start, json.indexOf('"', start));
  }
}
