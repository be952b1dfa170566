package io.virtflux.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live migration of the running lab guest from lab-a to lab-b and back, each leg timed, by the same
 * side within a round. virsh gets the flags the service sets for {@code {"unsafe": true}} (live,
 * peer-to-peer, unsafe, persistent with undefine-source, abort on error: see the service's
 * Migrations.flags); the service is timed from the POST to the SUCCEEDED event.
 */
final class RealVmMigrations {

  private static final Duration LIMIT = Duration.ofMinutes(5);

  final RealVmPair there = new RealVmPair("live migration a → b p50");
  final RealVmPair back = new RealVmPair("live migration b → a p50");
  private final RealVmBreakdown breakdown = new RealVmBreakdown();
  private final RealVmLab lab;
  private final RealVmApi api;
  private final String vm;

  RealVmMigrations(RealVmLab lab, RealVmApi api, String vm) {
    this.lab = lab;
    this.api = api;
    this.vm = vm;
  }

  void run(int warmup, int rounds) throws Exception {
    RealVmRounds.alternate(warmup, rounds, this::virsh, this::service);
  }

  private void virsh(int round, boolean timed) throws Exception {
    long there = virshLeg(RealVmLab.A, RealVmLab.B);
    long back = virshLeg(RealVmLab.B, RealVmLab.A);
    if (timed) {
      this.there.virsh.add(there);
      this.back.virsh.add(back);
    }
  }

  private long virshLeg(String from, String to) throws Exception {
    long t0 = System.nanoTime();
    lab.virsh.run(
        lab.uri(from),
        "migrate",
        "--live",
        "--p2p",
        "--unsafe",
        "--persistent",
        "--undefinesource",
        "--abort-on-error",
        vm,
        lab.uri(to));
    long took = System.nanoTime() - t0;
    String state = lab.virsh.run(lab.uri(to), "domstate", vm).trim();
    if (!state.equals("running")) {
      throw new IllegalStateException(vm + " is " + state + " on " + to + " after virsh migrate");
    }
    return took;
  }

  private void service(int round, boolean timed) throws Exception {
    RealVmApi.Done there = serviceLeg(RealVmLab.B);
    RealVmApi.Done back = serviceLeg(RealVmLab.A);
    if (timed) {
      this.there.service.add(there.nanos());
      this.back.service.add(back.nanos());
      breakdown.add(there);
      breakdown.add(back);
    }
  }

  private RealVmApi.Done serviceLeg(String to) throws Exception {
    String body = "{\"destination\": \"" + to + "\", \"unsafe\": true}";
    RealVmApi.Done done = api.run("POST", "/api/v1/vms/" + vm + "/migrations", body, LIMIT);
    if (!done.json().contains("\"state\":\"RUNNING\"")) {
      throw new IllegalStateException(vm + " not running after the migration: " + done.json());
    }
    return done;
  }

  void report(ScenarioResult result) {
    result.add(there.checked());
    result.add(back.info());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("aToB", there.summary());
    details.put("bToA", back.summary());
    details.put("serviceBreakdown", breakdown.summary());
    result.detail("migration", details);
    result.note(
        "live migration: virsh migrate --live --p2p --unsafe --persistent --undefinesource"
            + " --abort-on-error (the service's flags) vs POST …/migrations {unsafe: true} →"
            + " SUCCEEDED; a → b then b → a by the same side each round. Service p50s (both"
            + " legs): "
            + breakdown.p50s());
  }
}
