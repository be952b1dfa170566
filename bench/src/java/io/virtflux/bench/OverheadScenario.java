package io.virtflux.bench;

import io.virtflux.lab.Postgres;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: what one operation costs over libvirt. Suspend and resume, one after the other, on a
 * test-driver host: through the full path (HTTP submit → journal → lane → libvirt → terminal SSE
 * event, timed by the client) against the same libvirt calls made directly from Java. The service
 * runs once per journal store, both at the same time: the embedded H2 file and PostgreSQL (the
 * lab's server, a new database, every commit durable). Their operations alternate, one at a time,
 * so that whatever else loads the machine weighs on both alike; one baseline serves both.
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

    BenchPostgres postgres = ctx.postgres();
    List<StoreUnderTest> stores = new ArrayList<>();
    Map<String, double[]> commits = new LinkedHashMap<>();
    FsyncFloor floor = new FsyncFloor(ctx.dir("overhead-fsync-floor"));
    try {
      stores.add(StoreUnderTest.start(ctx, hosts, "h2", List.of()));
      if (postgres != null) {
        Postgres.Database db = postgres.newDatabase("overhead");
        stores.add(
            StoreUnderTest.start(ctx, hosts, "postgres", BenchPostgres.serviceArguments(db)));
      }
      for (int i = 0; i < warmup + operations / 4; i++) {
        for (StoreUnderTest store : inTurn(stores, i)) {
          store.floors(i >= warmup);
        }
      }
      // each service has its own test:/// connection, hence its own VM: both suspend, then resume;
      // the fsync floor is sampled in between, under the same load on the disk
      for (int i = 0; i < warmup + operations; i++) {
        for (StoreUnderTest store : inTurn(stores, i / 2)) {
          store.operate(i % 2 == 0, i >= warmup);
        }
        floor.sample(i >= warmup);
      }
      for (StoreUnderTest store : stores) {
        commits.put(store.store, store.commitQuantiles());
      }
    } finally {
      for (StoreUnderTest store : stores) {
        store.close();
      }
      floor.close();
    }
    result.detail("fsyncFloor", floor.samples.summary());
    result.add(
        Metric.info(
            "fsync floor: 512 B write + fdatasync p50", "ms", Double.NaN, floor.samples.p50()));
    for (Map.Entry<String, double[]> c : commits.entrySet()) {
      double p50 = c.getValue()[0];
      result.add(
          Metric.check(
                  "journal commit p50 vs the fsync floor",
                  "ms",
                  floor.samples.p50(),
                  p50,
                  "≤ 3×",
                  p50 <= 3 * floor.samples.p50())
              .on(c.getKey()));
      result.add(
          Metric.info(
                  "journal commit p99 vs the fsync floor",
                  "ms",
                  floor.samples.p99(),
                  c.getValue()[1])
              .on(c.getKey()));
    }

    for (StoreUnderTest store : stores) {
      addRows(result, store, direct);
    }
    if (postgres == null) {
      result.note(
          "postgres: skipped: no PostgreSQL on 127.0.0.70:15432 and no lab image to start one"
              + " (run through dev/bench)");
    } else {
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
        "both services run at once and take turns, one operation at a time (which goes first"
            + " alternates); added latency pXX = the service's pXX minus the direct calls' pXX"
            + " (one baseline for both stores); h2 = the embedded file (WRITE_DELAY=0, flushed after"
            + " each commit), the default; journal commit = the service's own timer"
            + " virtflux.journal.commit (one durable commit of a batch of writes: H2's commit and"
            + " the file's fdatasync, or PostgreSQL's commit with its WAL flushed), fsync floor ="
            + " 512 bytes appended and fdatasync'ed by the bench, one after each pair of"
            + " operations, on the same file system");
    return result;
  }

  /** The stores in turn {@code round}: every other round the other one goes first. */
  private static List<StoreUnderTest> inTurn(List<StoreUnderTest> stores, int round) {
    List<StoreUnderTest> order = new ArrayList<>(stores);
    if (round % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }

  private static void addRows(ScenarioResult result, StoreUnderTest store, Samples direct) {
    Samples service = store.service;
    double added50 = service.p50() - direct.p50();
    double added99 = service.p99() - direct.p99();
    result.add(Metric.info("latency p50", "ms", direct.p50(), service.p50()).on(store.store));
    result.add(Metric.info("latency p99", "ms", direct.p99(), service.p99()).on(store.store));
    result.add(
        Metric.check("added latency p50", "ms", Double.NaN, added50, "≤ 2 ms", added50 <= 2.0)
            .on(store.store));
    result.add(Metric.info("added latency p99", "ms", Double.NaN, added99).on(store.store));
    result.detail(store.store, store.details());
    result.note(store.breakdown());
  }
}
