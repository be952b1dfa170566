package io.virtflux.bench;

import java.time.Duration;

/**
 * Scenario 1: what one operation costs over libvirt. Suspend and resume, one after the other, on a
 * test-driver host: through the full path (HTTP submit → journal → lane → libvirt → terminal SSE
 * event, timed by the client) against the same libvirt calls made directly from Java.
 */
final class OverheadScenario implements Scenario {

  @Override
  public String id() {
    return "overhead";
  }

  @Override
  public String title() {
    return "Overhead per operation (suspend/resume on test:///)";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    int operations = ctx.mode.size(2000, 60);
    int warmup = ctx.mode.size(500, 20);
    TestHosts hosts = TestHosts.write(ctx.dir("overhead-nodes"), 1);
    String host = hosts.names.get(0);
    String vm = TestHosts.vmOf(host);
    ScenarioResult result = new ScenarioResult(id(), title());

    Samples direct = new Samples();
    try (DirectLibvirt libvirt = new DirectLibvirt(hosts.uris.get(0))) {
      for (int i = 0; i < warmup + operations; i++) {
        long start = System.nanoTime();
        libvirt.act(vm, i % 2 == 0);
        if (i >= warmup) {
          direct.add(System.nanoTime() - start);
        }
      }
    }

    Samples service = new Samples();
    Samples queued = new Samples();
    Samples inLane = new Samples();
    Samples accepted = new Samples();
    try (ServiceProcess process =
            ServiceProcess.start(ctx, id(), hosts.yaml(ctx.dir("overhead-ds")));
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
      result.detail("httpFloorLiveness", liveness.summary());
      result.detail("httpFloorAuthenticatedHostRead", hostRead.summary());
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

    double added = service.p50() - direct.p50();
    result.add(Metric.info("latency p50", "ms", direct.p50(), service.p50()));
    result.add(Metric.info("latency p99", "ms", direct.p99(), service.p99()));
    result.add(Metric.check("added latency p50", "ms", Double.NaN, added, "≤ 2 ms", added <= 2.0));
    result.detail("operations", operations);
    result.detail("warmup", warmup);
    result.detail("direct", direct.summary());
    result.detail("service", service.summary());
    result.detail("serviceSubmitTo202", accepted.summary());
    result.detail("serviceCreatedToStarted", queued.summary());
    result.detail("serviceStartedToFinished", inLane.summary());
    return result;
  }
}
