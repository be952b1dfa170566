package io.virtflux.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * Scenario 5: footprint. Start-up time (process start to a ready answer), resident memory idle, and
 * resident memory with 1,000 hosts registered through the API and connected (test driver).
 */
final class FootprintScenario implements Scenario {

  @Override
  public String id() {
    return "footprint";
  }

  @Override
  public String title() {
    return "Footprint (start-up, RSS idle, RSS with 1,000 hosts)";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    int hostCount = ctx.mode.size(1000, 20);
    TestHosts hosts = TestHosts.write(ctx.dir("footprint-nodes"), hostCount);
    ScenarioResult result = new ScenarioResult(id(), title());
    String yaml = "virtflux:\n  datastores: " + ctx.dir("footprint-ds") + "\n  hosts: []\n";
    double startup;
    double springStarted;
    double idle;
    double loaded;
    int online;
    try (ServiceProcess process = ServiceProcess.start(ctx, id(), yaml)) {
      startup = process.startupSeconds;
      springStarted = process.springStartedSeconds();
      // what it settles at once start-up work (pre-loaded OpenAPI document, JIT) is over
      Thread.sleep(ctx.mode.size(10_000, 1_000));
      idle = process.rssMiB();
      ServiceClient client = process.client();
      AtomicInteger registeredOnline = new AtomicInteger();
      Flux.range(0, hostCount)
          .flatMap(
              i ->
                  client
                      .post(
                          "/api/v1/hosts",
                          "{\"name\":\""
                              + hosts.names.get(i)
                              + "\",\"uri\":\""
                              + hosts.uris.get(i)
                              + "\"}")
                      .doOnNext(
                          r -> {
                            if (r.status() != 201) {
                              throw new IllegalStateException("registration answered " + r);
                            }
                            if (r.body().contains("\"state\":\"ONLINE\"")) {
                              registeredOnline.incrementAndGet();
                            }
                          }),
              32)
          .blockLast(Duration.ofMinutes(5));
      online = registeredOnline.get();
      Thread.sleep(ctx.mode.size(5_000, 500));
      loaded = process.rssMiB();
    }
    result.add(
        Metric.check(
            "start-up (process → ready)", "s", Double.NaN, startup, "≤ 3 s", startup <= 3));
    result.add(Metric.check("RSS idle", "MiB", Double.NaN, idle, "≤ 200 MiB", idle <= 200));
    result.add(
        Metric.check(
            "RSS with " + hostCount + " hosts connected",
            "MiB",
            Double.NaN,
            loaded,
            "≤ 512 MiB",
            loaded <= 512));
    result.add(
        Metric.check(
            "hosts ONLINE after registration",
            "hosts",
            hostCount,
            online,
            "all",
            online == hostCount));
    result.detail("springStartedSeconds", springStarted);
    result.detail("jvmOptions", String.join(" ", ServiceJvm.options(ctx.repo)));
    return result;
  }
}
