package io.virtflux.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deploy of the lab guest on lab-a until libvirt reports the domain running: {@code virsh define} +
 * {@code virsh start} (two processes) of the XML the service renders for the same request, against
 * POST /api/v1/vms → SUCCEEDED event. Each VM gets its own system disk and is destroyed right after
 * its round, so no booting guest takes CPU from the next measurement.
 */
final class RealVmDeploys {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  final RealVmPair deploy = new RealVmPair("deploy → running p50");
  private final Samples define = new Samples();
  private final Samples start = new Samples();
  private final RealVmBreakdown breakdown = new RealVmBreakdown();
  private final RealVmLab lab;
  private final RealVmApi api;

  RealVmDeploys(RealVmLab lab, RealVmApi api) {
    this.lab = lab;
    this.api = api;
  }

  void run(int warmup, int rounds) throws Exception {
    RealVmRounds.alternate(warmup, rounds, this::virsh, this::service);
  }

  private void virsh(int round, boolean timed) throws Exception {
    String vm = lab.name("dv" + round);
    lab.createDisk(vm, "vda", 16);
    // rendered outside the timed window: the baseline gets the service's XML for free
    Path xml = lab.scratch.resolve(vm + ".xml");
    Files.writeString(xml, api.render(lab.deployBody(vm)));
    long t0 = System.nanoTime();
    lab.virsh.run(lab.uriA, "define", xml.toString());
    long t1 = System.nanoTime();
    lab.virsh.run(lab.uriA, "start", vm);
    long t2 = System.nanoTime();
    // virDomainCreate returns once the domain runs; this only proves it, after the clock stopped
    String state = lab.virsh.run(lab.uriA, "domstate", vm).trim();
    if (!state.equals("running")) {
      throw new IllegalStateException(vm + " is " + state + " after virsh start");
    }
    lab.remove(vm);
    Files.delete(xml);
    if (timed) {
      deploy.virsh.add(t2 - t0);
      define.add(t1 - t0);
      start.add(t2 - t1);
    }
  }

  private void service(int round, boolean timed) throws Exception {
    String vm = lab.name("ds" + round);
    lab.createDisk(vm, "vda", 16);
    RealVmApi.Done done = api.run("POST", "/api/v1/vms", lab.deployBody(vm), LIMIT);
    if (!done.json().contains("\"state\":\"RUNNING\"")) {
      throw new IllegalStateException(vm + " deployed but not running: " + done.json());
    }
    lab.remove(vm);
    if (timed) {
      deploy.service.add(done.nanos());
      breakdown.add(done);
    }
  }

  void report(ScenarioResult result) {
    result.add(deploy.checked());
    Map<String, Object> details = new LinkedHashMap<>(deploy.summary());
    details.put("virshDefine", define.summary());
    details.put("virshStart", start.summary());
    details.put("serviceBreakdown", breakdown.summary());
    result.detail("deploy", details);
    result.note(
        "deploy: done = libvirt reports the domain running: virsh define + virsh start exited"
            + " (virDomainCreate returns once it runs; virsh domstate confirms it untimed) vs"
            + " POST /api/v1/vms → SUCCEEDED event (define, deployment mark, start, state RUNNING);"
            + " same domain XML (the service's :render), destroyed after each round. Service p50s: "
            + breakdown.p50s()
            + "; virsh p50s: define "
            + Math.round(define.p50())
            + " ms, start "
            + Math.round(start.p50())
            + " ms");
  }
}
