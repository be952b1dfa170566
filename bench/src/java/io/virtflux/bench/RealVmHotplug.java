package io.virtflux.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A virtio disk hotplugged into the running lab guest and out again. Attach: from the request until
 * the request has finished (virsh exited, or the SUCCEEDED event) and the guest's console lists
 * vdb. Detach: from the request until libvirt's live XML has lost vdb, as OpenNebula's scripts
 * check it ({@code virsh dumpxml} every 50 ms) and as the service checks before it reports
 * SUCCEEDED; the guest dropping it from its list is then awaited untimed, so that every round
 * starts from the same guest.
 */
final class RealVmHotplug {

  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String DEV = "vdb";

  final RealVmPair seen = new RealVmPair("disk attach → seen in guest p50");
  final RealVmPair call = new RealVmPair("disk attach → call done p50");
  final RealVmPair gone = new RealVmPair("disk detach → gone from live XML p50");
  private final RealVmBreakdown attachBreakdown = new RealVmBreakdown();
  private final RealVmBreakdown detachBreakdown = new RealVmBreakdown();
  private final RealVmLab lab;
  private final RealVmApi api;
  private final String vm;
  private final RealVmConsole console;
  private final Path disk;
  private final Path xml;

  RealVmHotplug(RealVmLab lab, RealVmApi api, String vm) throws Exception {
    this.lab = lab;
    this.api = api;
    this.vm = vm;
    this.console = lab.console(vm);
    this.disk = lab.createDisk(vm, DEV, 8);
    // the element the service builds for {"source": …, "devPrefix": "vd"} with its defaults
    this.xml = lab.scratch.resolve(vm + "-" + DEV + ".xml");
    Files.writeString(
        xml,
        "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='none'/>"
            + "<source file='"
            + disk
            + "'/><target dev='"
            + DEV
            + "' bus='virtio'/></disk>\n");
  }

  void run(int warmup, int rounds) throws Exception {
    console.awaitDisk(DEV, false, LIMIT);
    RealVmRounds.alternate(warmup, rounds, this::virsh, this::service);
  }

  private void virsh(int round, boolean timed) throws Exception {
    long t0 = System.nanoTime();
    lab.virsh.run(lab.uriA, "attach-device", vm, xml.toString(), "--live", "--config");
    long called = System.nanoTime();
    console.awaitDisk(DEV, true, LIMIT);
    long seenAt = System.nanoTime();

    long d0 = System.nanoTime();
    lab.virsh.run(lab.uriA, "detach-device", vm, xml.toString(), "--live", "--config");
    while (lab.virsh.run(lab.uriA, "dumpxml", vm).contains("dev='" + DEV + "'")) {
      Thread.sleep(50);
    }
    long goneAt = System.nanoTime();
    console.awaitDisk(DEV, false, LIMIT);
    if (timed) {
      call.virsh.add(called - t0);
      seen.virsh.add(seenAt - t0);
      gone.virsh.add(goneAt - d0);
    }
  }

  private void service(int round, boolean timed) throws Exception {
    String body = "{\"source\": \"" + disk + "\", \"devPrefix\": \"vd\"}";
    RealVmApi.Done attached = api.run("POST", "/api/v1/vms/" + vm + "/disks", body, LIMIT);
    if (!attached.json().contains("\"target\":\"" + DEV + "\"")) {
      throw new IllegalStateException("the service attached another target: " + attached.json());
    }
    console.awaitDisk(DEV, true, LIMIT);
    long seenAt = System.nanoTime();

    RealVmApi.Done detached = api.run("DELETE", "/api/v1/vms/" + vm + "/disks/" + DEV, null, LIMIT);
    console.awaitDisk(DEV, false, LIMIT);
    if (timed) {
      call.service.add(attached.nanos());
      seen.service.add(seenAt - attached.startNanos());
      gone.service.add(detached.nanos());
      attachBreakdown.add(attached);
      detachBreakdown.add(detached);
    }
  }

  void report(ScenarioResult result) {
    result.add(seen.checked());
    result.add(call.info());
    result.add(gone.checked());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("attachSeenInGuest", seen.summary());
    details.put("attachCall", call.summary());
    details.put("detachGoneFromLiveXml", gone.summary());
    details.put("serviceAttachBreakdown", attachBreakdown.summary());
    details.put("serviceDetachBreakdown", detachBreakdown.summary());
    result.detail("hotplug", details);
    result.note(
        "disk attach: virsh attach-device --live --config vs POST …/disks, until the request has"
            + " finished and the guest's console lists vdb (the guest looks every 0.2 s, for both"
            + " alike); the call-done row stops at virsh's exit / the SUCCEEDED event. Service"
            + " p50s: "
            + attachBreakdown.p50s());
    result.note(
        "disk detach: virsh detach-device --live --config, then virsh dumpxml every 50 ms until"
            + " vdb is gone, vs DELETE …/disks/vdb → SUCCEEDED (the service polls the live XML"
            + " itself). Service p50s: "
            + detachBreakdown.p50s());
  }
}
