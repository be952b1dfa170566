package io.virtflux.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 4: what the service costs on real VMs, against virsh driving the same lab hosts the way
 * OpenNebula's shell driver does (a new virsh process per call). On the two lab hosts of {@code
 * dev/lab up 2} (libvirtd in containers on this machine, TCG guests): deploy to running, disk
 * hotplug to "seen in the guest" and back out, and live migration lab-a → lab-b. Each step runs its
 * rounds with virsh and the service taking turns at going first; the goal is the service's p50
 * within 10 % of virsh's.
 */
final class RealVmsScenario implements Scenario {

  private static final Duration BOOT = Duration.ofMinutes(2);

  @Override
  public String id() {
    return "real-vms";
  }

  @Override
  public String title() {
    return "Real VMs on lab hosts vs virsh";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    ScenarioResult result = new ScenarioResult(id(), title());
    RealVmLab lab = RealVmLab.open(ctx);
    if (lab == null) {
      return result.note("skipped: no lab");
    }
    lab.requireHosts();
    int rounds = ctx.mode.size(10, 1);
    // a long-running service is warm: one untimed round per step keeps JIT and first
    // connections out of the figures (smoke mode only proves the steps work)
    int warmup = ctx.mode.size(1, 0);

    RealVmDeploys deploys;
    RealVmHotplug hotplug;
    RealVmMigrations migrations;
    AtomicReference<ServiceProcess> running = new AtomicReference<>();
    // an interrupted run (Ctrl-C in dev/bench) leaves no VM behind either
    Thread onExit = new Thread(() -> cleanup(running.get(), lab), "real-vms-cleanup");
    Runtime.getRuntime().addShutdownHook(onExit);
    try (ServiceProcess service = ServiceProcess.start(ctx, id(), lab.yaml());
        OperationWatch watch = new OperationWatch(service.client())) {
      running.set(service);
      RealVmApi api = new RealVmApi(service.client(), watch);

      deploys = new RealVmDeploys(lab, api);
      deploys.run(warmup, rounds);

      String guest = bootGuest(lab, api);
      hotplug = new RealVmHotplug(lab, api, guest);
      hotplug.run(warmup, rounds);
      migrations = new RealVmMigrations(lab, api, guest);
      migrations.run(warmup, rounds);
    } finally {
      running.set(null);
      cleanup(null, lab);
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway, and finds nothing left
      }
    }

    deploys.report(result);
    hotplug.report(result);
    migrations.report(result);
    result.detail("rounds", rounds);
    result.detail("warmupRounds", warmup);
    result.detail("virtType", lab.virtType);
    result.note(
        rounds
            + " rounds per step"
            + (warmup > 0 ? " after " + warmup + " untimed" : "")
            + ", virsh and the service alternating which goes first; a 128 MiB "
            + lab.virtType
            + " guest on two libvirtd containers on this machine");
    return result;
  }

  /** The guest the hotplug and migration steps share: deployed by the service, booted. */
  private static String bootGuest(RealVmLab lab, RealVmApi api) throws Exception {
    String vm = lab.name("guest");
    lab.createDisk(vm, "vda", 16);
    api.run("POST", "/api/v1/vms", lab.deployBody(vm), BOOT);
    lab.console(vm).awaitReady(BOOT);
    return vm;
  }

  private static void cleanup(ServiceProcess service, RealVmLab lab) {
    try {
      if (service != null) {
        service.close();
      }
      lab.cleanup();
    } catch (Exception e) {
      // reported, not thrown: a failure of the run itself must not be hidden behind this one
      System.err.println("real-vms cleanup failed (prefix " + lab.prefix + "): " + e);
    }
  }
}
