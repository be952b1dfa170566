package io.virtflux.bench;

import io.virtflux.lab.Postgres;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 1: what one operation costs over libvirt. Suspend and resume, one after the other, on a
 * test-driver host: through the full path (HTTP submit → journal → lane → libvirt → terminal SSE
 * event, timed by the client) against the same libvirt calls made directly from Java. The service
 * runs twice, once per journal store: the embedded H2 file, then PostgreSQL (the lab's server, a
 * new database; every commit durable), with one baseline for both.
 */
final class OverheadScenario implements Scenario {

  @Override
  public String id() {
    return "overhead";
  }

  @Override
  public String title() {
    return "Overhead per operation (suspend/resume on test:///), journal on H2 and on PostgreSQL";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    int operations = ctx.mode.size(2000, 60);
    int warmup = ctx.mode.size(500, 20);
    TestHosts hosts = TestHosts.write(ctx.dir("overhead-nodes"), 1);
    ScenarioResult result = new ScenarioResult(id(), title());
    result.detail("operations", operations);
    result.detail("warmup", warmup);

    Samples direct = new Samples();
    String vm = TestHosts.vmOf(hosts.names.get(0));
    try (DirectLibvirt libvirt = new DirectLibvirt(hosts.uris.get(0))) {
      for (int i = 0; i < warmup + operations; i++) {
        long start = System.nanoTime();
        libvirt.act(vm, i % 2 == 0);
        if (i >= warmup) {
          direct.add(System.nanoTime() - start);
        }
      }
    }
    result.detail("direct", direct.summary());

    addRows(result, "h2", direct, measure(ctx, hosts, "h2", List.of(), operations, warmup));
    BenchPostgres postgres = ctx.postgres();
    if (postgres == null) {
      result.note(
          "postgres: skipped: no PostgreSQL on 127.0.0.70:15432 and no lab image to start one"
              + " (run through dev/bench)");
    } else {
      Postgres.Database db = postgres.newDatabase("overhead");
      List<String> journal = BenchPostgres.serviceArguments(db);
      addRows(
          result, "postgres", direct, measure(ctx, hosts, "postgres", journal, operations, warmup));
      result.detail("postgresServer", postgres.settings());
      result.note(
          "postgres: the lab's PostgreSQL "
              + postgres.settings().get("server_version")
              + " ("
              + postgres.origin()
              + ") on this machine, host networking, a new database; synchronous_commit = "
              + postgres.settings().get("synchronous_commit")
              + ", fsync = "
              + postgres.settings().get("fsync")
              + ": every journal commit is flushed to its WAL before the service goes on");
    }
    result.note(
        "added latency pXX = the service's pXX minus the direct calls' pXX (one baseline for both"
            + " stores); h2 = the embedded file (WRITE_DELAY=0), the default");
    return result;
  }

  private static void addRows(
      ScenarioResult result, String store, Samples direct, StoreRun measured) {
    Samples service = measured.service();
    double added50 = service.p50() - direct.p50();
    double added99 = service.p99() - direct.p99();
    result.add(Metric.info("latency p50", "ms", direct.p50(), service.p50()).on(store));
    result.add(Metric.info("latency p99", "ms", direct.p99(), service.p99()).on(store));
    result.add(
        Metric.check("added latency p50", "ms", Double.NaN, added50, "≤ 2 ms", added50 <= 2.0)
            .on(store));
    result.add(Metric.info("added latency p99", "ms", Double.NaN, added99).on(store));
    result.detail(store, measured.details());
    // where the time goes, so that the two stores can be told apart at a glance
    result.note(
        String.format(
            Locale.ROOT,
            "%s: service p50s: submit → 202 %.1f ms, queued (created → started) %.1f ms, in the"
                + " lane (started → finished) %.1f ms; HTTP floor (liveness) %.1f ms",
            store,
            measured.p50("serviceSubmitTo202"),
            measured.p50("serviceCreatedToStarted"),
            measured.p50("serviceStartedToFinished"),
            measured.p50("httpFloorLiveness")));
  }

  /**
   * The service on one journal store: {@code journal} are the arguments that put it on PostgreSQL
   * (none for H2).
   */
  private static StoreRun measure(
      BenchContext ctx,
      TestHosts hosts,
      String store,
      List<String> journal,
      int operations,
      int warmup)
      throws Exception {
    String host = hosts.names.get(0);
    String vm = TestHosts.vmOf(host);
    Samples service = new Samples();
    Samples queued = new Samples();
    Samples inLane = new Samples();
    Samples accepted = new Samples();
    Map<String, Object> out = new LinkedHashMap<>();
    try (ServiceProcess process =
            ServiceProcess.start(
                ctx, "overhead-" + store, hosts.yaml(ctx.dir("overhead-ds-" + store)), journal);
        OperationWatch watch = new OperationWatch(process.client())) {
      ServiceClient client = process.client();
      // the floors under an operation: an HTTP round trip, and one with a token and a journal read
      Samples liveness = new Samples();
      Samples hostRead = new Samples();
      for (int i = 0; i < warmup + operations / 4; i++) {
        long start = System.nanoTime();
        client.get("/actuator/health/liveness").block();
        long middle = System.nanoTime();
        client.get("/api/v1/hosts/" + host).block();
        if (i >= warmup) {
          liveness.add(middle - start);
          hostRead.add(System.nanoTime() - middle);
        }
      }
      out.put("httpFloorLiveness", liveness.summary());
      out.put("httpFloorAuthenticatedHostRead", hostRead.summary());
      for (int i = 0; i < warmup + operations; i++) {
        String action = i % 2 == 0 ? "suspend" : "resume";
        long start = System.nanoTime();
        ServiceClient.Response response =
            client.post("/api/v1/vms/" + vm + "/actions/" + action, null).block();
        long answered = System.nanoTime();
        if (response == null || response.status() != 202) {
          throw new IllegalStateException("submission answered " + response);
        }
        OperationWatch.Terminal terminal = watch.await(response.id(), Duration.ofSeconds(30));
        if (!terminal.succeeded()) {
          throw new IllegalStateException("operation did not succeed: " + terminal.json());
        }
        watch.forget(response.id());
        if (i >= warmup) {
          service.add(terminal.arrivedNanos() - start);
          accepted.add(answered - start);
          long created = JsonFields.epochNanos(terminal.json(), "createdAt");
          long started = JsonFields.epochNanos(terminal.json(), "startedAt");
          long finished = JsonFields.epochNanos(terminal.json(), "finishedAt");
          queued.add(started - created);
          inLane.add(finished - started);
        }
      }
    }
    out.put("service", service.summary());
    out.put("serviceSubmitTo202", accepted.summary());
    out.put("serviceCreatedToStarted", queued.summary());
    out.put("serviceStartedToFinished", inLane.summary());
    return new StoreRun(service, out);
  }

  /** One store's end-to-end latencies, and all its distributions as summaries for the JSON. */
  private record StoreRun(Samples service, Map<String, Object> details) {

    /** The p50 of one of the distributions in {@link #details}, in ms. */
    double p50(String distribution) {
      Object summary = details.get(distribution);
      return summary instanceof Map<?, ?> m && m.get("p50Ms") instanceof Number n
          ? n.doubleValue()
          : Double.NaN;
    }
  }
}
