package io.virtflux.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 2: many hosts. 500 test-driver hosts, 20 operations each, one action at a time per host,
 * through the service; against the same libvirt calls made in-process with the same per-host
 * serialisation, once on a pool the size of the service's libvirt scheduler and once on a 15-thread
 * pool (OpenNebula's {@code -t 15}).
 */
final class ManyHostsScenario implements Scenario {

  /** The service's default {@code virtflux.libvirt.threads}. */
  static final int SERVICE_LIBVIRT_THREADS = 32;

  @Override
  public String id() {
    return "hosts";
  }

  @Override
  public String title() {
    return "Many hosts (test:///, one action at a time per host)";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    int hostCount = ctx.mode.size(500, 20);
    int perHost = ctx.mode.size(20, 4);
    TestHosts hosts = TestHosts.write(ctx.dir("hosts-nodes"), hostCount);
    ScenarioResult result = new ScenarioResult(id(), title());

    double lanes = direct(hosts, perHost, SERVICE_LIBVIRT_THREADS);
    double openNebula = direct(hosts, perHost, 15);

    LaneLoad.Outcome outcome;
    try (ServiceProcess process = ServiceProcess.start(ctx, id(), hosts.yaml(ctx.dir("hosts-ds")));
        OperationWatch watch = new OperationWatch(process.client())) {
      // a short warm-up on every host, so that the first-call costs are outside the measurement
      LaneLoad.run(process.client(), watch, hosts, 2, 256);
      outcome = LaneLoad.run(process.client(), watch, hosts, perHost, 256);
    }
    List<String> overlaps = LaneLoad.overlaps(outcome.terminals());
    double service = outcome.opsPerSecond();
    result.add(
        Metric.check(
            "throughput vs in-process lanes",
            "ops/s",
            lanes,
            service,
            "≥ 0.5×",
            service >= 0.5 * lanes));
    result.add(Metric.info("throughput vs 15-thread pool", "ops/s", openNebula, service));
    result.add(
        Metric.check(
            "operations succeeded",
            "ops",
            outcome.operations(),
            outcome.succeeded(),
            "all",
            outcome.succeeded() == outcome.operations()));
    result.add(
        Metric.check(
            "hosts that ran two actions at once",
            "hosts",
            Double.NaN,
            overlaps.size(),
            "0",
            overlaps.isEmpty()));
    result.detail("hosts", hostCount);
    result.detail("operationsPerHost", perHost);
    result.detail("serviceSeconds", outcome.seconds());
    result.detail("overlappingHosts", overlaps);
    return result;
  }

  /** Operations per second of the in-process baseline: each host's chain on a shared pool. */
  private static double direct(TestHosts hosts, int perHost, int threads) throws Exception {
    List<DirectLibvirt> connections = new ArrayList<>();
    try {
      for (String uri : hosts.uris) {
        connections.add(new DirectLibvirt(uri));
      }
      // warm-up: two actions per host, as the service gets
      runChains(hosts, connections, 2, threads);
      long start = System.nanoTime();
      runChains(hosts, connections, perHost, threads);
      return hosts.size() * perHost / ((System.nanoTime() - start) / 1e9);
    } finally {
      for (DirectLibvirt c : connections) {
        c.close();
      }
    }
  }

  private static void runChains(
      TestHosts hosts, List<DirectLibvirt> connections, int perHost, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> chains = new ArrayList<>();
      for (int h = 0; h < hosts.size(); h++) {
        DirectLibvirt libvirt = connections.get(h);
        String vm = TestHosts.vmOf(hosts.names.get(h));
        chains.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perHost; i++) {
                    libvirt.act(vm, i % 2 == 0);
                  }
                  return null;
                }));
      }
      for (Future<?> chain : chains) {
        chain.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
