package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Disk and NIC hotplug on a guest that really boots: the guest's console reports each device coming
 * and going, and a detach succeeds only once the guest has released the device. An attach makes
 * three libvirt calls, as the gateway counts them.
 */
class HotplugIT extends LabServiceTest {

  /** The gateway APIs an attach uses: finding the VM, reading its XML, attaching. */
  private static final Set<String> ATTACH_APIS = Set.of("status", "domainXml", "attachDevice");

  /** One status call (the locator), one XML read (the plan), the attach. */
  private static final Map<String, Long> THREE_CALLS =
      Map.of("status", 1L, "domainXml", 1L, "attachDevice", 1L);

  @Autowired MeterRegistry meters;

  /**
   * The libvirt calls made so far of {@link #ATTACH_APIS}, on every host, by API: what the gateway
   * recorded in {@code virtflux.libvirt.calls}.
   */
  private Map<String, Long> attachCalls() {
    Map<String, Long> calls = new TreeMap<>();
    for (Timer t : meters.find("virtflux.libvirt.calls").timers()) {
      String api = t.getId().getTag("api");
      if (ATTACH_APIS.contains(api)) {
        calls.merge(api, t.count(), Long::sum);
      }
    }
    return calls;
  }

  /** An attach's operation, and the libvirt calls it made. */
  private record Measured(Map<String, Object> operation, Map<String, Long> calls) {}

  private Measured measured(Supplier<Map<String, Object>> attach) {
    Map<String, Long> before = attachCalls();
    Map<String, Object> operation = attach.get();
    Map<String, Long> made = new TreeMap<>();
    attachCalls().forEach((api, n) -> made.put(api, n - before.getOrDefault(api, 0L)));
    made.values().removeIf(n -> n == 0);
    return new Measured(operation, made);
  }

  private String deployRunning(String vm, Map<String, Object> template) {
    api.succeeded(api.deploy(PARALLEL, template));
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));
    return vm;
  }

  private Map<String, Object> attachDisk(String vm, Map<String, Object> disk) {
    return api.succeeded(api.submit("/api/v1/vms/" + vm + "/disks", disk));
  }

  private Map<String, Object> detach(String vm, String what) {
    return api.accepted(HttpMethod.DELETE, "/api/v1/vms/" + vm + "/" + what, null);
  }

  private static String disk(String vm, String name) {
    return Guests.rawDisk(vm + "-" + name + ".raw", 8).toString();
  }

  @Test
  void virtioScsiAndNicComeAndGoAsTheGuestSeesThem() {
    String vm = deployRunning("it-hp", Guests.template("it-hp", 1));

    Map<String, Object> vdb = attachDisk(vm, Map.of("source", disk(vm, "b"), "devPrefix", "vd"));
    assertThat(at(vdb, "result", "target").toString()).isEqualTo("vdb");
    assertThat(at(vdb, "result", "bus").toString()).isEqualTo("virtio");
    // no cache asked: OpenNebula's DEFAULT_ATTACH_CACHE (none)
    assertThat(at(vdb, "result", "cache").toString()).isEqualTo("none");
    assertThat((Boolean) at(vdb, "result", "persistent")).isTrue();
    Guests.awaitDevice(vm, "vdb", true);

    // the VM was found before (the locator asks its host first): the locator's status, the live
    // XML the disk is planned against, the attach; nothing is read again in the lane
    Measured measured =
        measured(
            () ->
                attachDisk(
                    vm, Map.of("source", disk(vm, "c"), "devPrefix", "vd", "cache", "writeback")));
    assertThat(measured.calls()).as("libvirt calls of a disk attach").isEqualTo(THREE_CALLS);
    Map<String, Object> vdc = measured.operation();
    assertThat(at(vdc, "result", "target").toString()).isEqualTo("vdc");
    Guests.awaitDevice(vm, "vdc", true);

    // a target names its bus: sdc is SCSI, on the virtio-scsi controller every deploy adds
    Map<String, Object> sdc = attachDisk(vm, Map.of("source", disk(vm, "s"), "target", "sdc"));
    assertThat(at(sdc, "result", "bus").toString()).isEqualTo("scsi");
    Guests.awaitDevice(vm, "sda", true); // the guest names its first SCSI disk sda

    measured =
        measured(
            () -> api.succeeded(api.submit("/api/v1/vms/" + vm + "/nics", Map.of("type", "user"))));
    assertThat(measured.calls()).as("libvirt calls of a NIC attach").isEqualTo(THREE_CALLS);
    Map<String, Object> nic = measured.operation();
    String mac = at(nic, "result", "mac");
    assertThat(mac).startsWith("52:54:00:");
    Guests.awaitDevice(vm, "eth1", true);

    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    List<Map<String, Object>> disks = at(view, "disks");
    assertThat(disks)
        .extracting(d -> d.get("target") + "/" + d.get("bus") + "/" + d.get("cache"))
        .contains("vdb/virtio/none", "vdc/virtio/writeback", "sdc/scsi/none");
    List<Map<String, Object>> nics = at(view, "nics");
    assertThat(nics).extracting(n -> n.get("mac")).contains(mac);
    // live and persistent: the devices survive a restart
    String config = api.domainXml(vm, true);
    assertThat(config).contains("dev='vdb'", "dev='vdc'", "dev='sdc'", mac);

    for (String what : List.of("disks/vdb", "disks/sdc", "nics/" + mac)) {
      Map<String, Object> done = api.succeeded(detach(vm, what));
      assertThat(done.get("result").toString()).contains("removed=true");
    }
    // success came only once the live XML lost the device, which happens when the guest lets go
    String live = api.domainXml(vm, false);
    assertThat(live).doesNotContain("dev='vdb'", "dev='sdc'", mac).contains("dev='vdc'");
    Guests.awaitDevice(vm, "vdb", false);
    Guests.awaitDevice(vm, "sda", false);
    Guests.awaitDevice(vm, "eth1", false);
    assertThat(api.domainXml(vm, true)).doesNotContain("dev='vdb'", mac);

    api.remove(vm);
  }

  @Test
  void badRequestsAreProblemsAndReachNoHost() {
    String vm = deployRunning("it-hp-bad", Guests.template("it-hp-bad", 1));
    String before = api.domainXml(vm, false);
    String path = "/api/v1/vms/" + vm;
    String ok = disk(vm, "ok");
    List<Object[]> cases = new ArrayList<>();
    cases.add(
        new Object[] {"/disks", Map.of("source", "/etc/shadow", "devPrefix", "vd"), "source"});
    cases.add(
        new Object[] {
          "/disks", Map.of("source", Lab.datastore() + "/../../../etc/passwd"), "source"
        });
    cases.add(new Object[] {"/disks", Map.of("source", ok, "devPrefix", "hd"), "devPrefix"});
    cases.add(new Object[] {"/disks", Map.of("source", ok, "target", "vda"), "target"});
    cases.add(new Object[] {"/disks", Map.of("source", ok, "cache", "sometimes"), "cache"});
    cases.add(new Object[] {"/disks", Map.of("source", ok, "target", "vd-a"), "target"});
    cases.add(
        new Object[] {"/nics", Map.of("type", "ethernet", "script", "/tmp/evil.sh"), "script"});
    cases.add(new Object[] {"/nics", Map.of("type", "user", "model", "rtl9999"), "model"});
    cases.add(new Object[] {"/nics", Map.of("type", "user", "mac", "52:54:00:zz:00:01"), "mac"});
    cases.add(new Object[] {"/nics", Map.of("type", "user", "mac", "01:00:5e:00:00:01"), "mac"});
    for (Object[] c : cases) {
      Map<String, Object> problem = api.refused(HttpMethod.POST, path + c[0], c[1], 400);
      assertThat(problem.toString()).as("%s", c[1]).contains("field=" + c[2]);
    }
    Map<String, Object> noMac = api.refused(HttpMethod.DELETE, path + "/nics/not-a-mac", null, 400);
    assertThat(noMac.toString()).contains("field=mac");
    api.refused(HttpMethod.DELETE, path + "/disks/vdq", null, 404);
    api.refused(HttpMethod.DELETE, path + "/disks/vd'x", null, 400);
    api.refused(HttpMethod.PUT, path + "/disks/vda/media", Map.of(), 409);
    api.refused(HttpMethod.POST, "/api/v1/vms/it-no-such-vm/disks", Map.of("source", ok), 404);
    // nothing reached libvirt, nothing was queued
    assertThat(api.domainXml(vm, false)).isEqualTo(before);
    Map<String, Object> ops = api.get("/api/v1/operations?vm=" + vm);
    assertThat(ops.toString()).doesNotContain("ATTACH", "DETACH", "CHANGE_MEDIA");

    // accepted, but the file is not there: libvirt's own message in the operation's error
    Map<String, Object> missing =
        api.await(
            api.submit(
                path + "/disks",
                Map.of("source", Lab.datastore() + "/it-nope.raw", "devPrefix", "vd")));
    assertThat(missing.get("phase")).isEqualTo("FAILED");
    assertThat(missing.get("error").toString()).contains("it-nope.raw");
    api.remove(vm);
  }

  @Test
  void aPausedGuestKeepsTheDeviceSoTheDetachFailsAtItsTimeout() {
    String vm = deployRunning("it-hp-pause", Guests.template("it-hp-pause", 1));
    attachDisk(vm, Map.of("source", disk(vm, "b"), "devPrefix", "vd"));
    Guests.awaitDevice(vm, "vdb", true);
    api.succeeded(api.action(vm, "suspend"));

    long start = System.nanoTime();
    Map<String, Object> op = detach(vm, "disks/vdb");
    String id = op.get("id").toString();
    api.awaitPhase(id, "RUNNING");
    Guests.sleep(6_000); // past libvirt's own 5 s wait, which reports success
    assertThat(api.get("/api/v1/operations/" + id).get("phase")).isEqualTo("RUNNING");
    assertThat(api.domainXml(vm, false)).contains("dev='vdb'");

    Map<String, Object> failed = api.await(op);
    assertThat(failed.get("phase")).isEqualTo("FAILED");
    assertThat(failed.get("error").toString())
        .contains("Device not released", "did not release disk vdb");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DETACH_TIMEOUT);

    // once it runs again the guest acts on the pending unplug request; then hotplug works again
    api.succeeded(api.action(vm, "resume"));
    Guests.awaitDevice(vm, "vdb", false);
    attachDisk(vm, Map.of("source", disk(vm, "c"), "target", "vdc"));
    Guests.awaitDevice(vm, "vdb", true); // Linux names virtio disks in order: libvirt's vdc is vdb
    api.succeeded(detach(vm, "disks/vdc"));
    Guests.awaitDevice(vm, "vdb", false);
    api.remove(vm);
  }

  @Test
  void aCdromTakesNewMediaAndEjects() {
    Map<String, Object> t = new HashMap<>(Guests.template("it-hp-cd", 1));
    String iso = disk("it-hp-cd", "iso1");
    String other = disk("it-hp-cd", "iso2");
    List<Object> disks = new ArrayList<>((List<?>) t.get("disks"));
    disks.add(Map.of("source", iso, "type", "cdrom"));
    t.put("disks", disks);
    String vm = deployRunning("it-hp-cd", t);
    assertThat(api.domainXml(vm, false)).contains(iso);
    String media = "/api/v1/vms/" + vm + "/disks/sda/media";

    api.succeeded(api.accepted(HttpMethod.PUT, media, Map.of()));
    assertThat(api.domainXml(vm, false)).doesNotContain(iso);
    api.succeeded(api.accepted(HttpMethod.PUT, media, Map.of("source", other)));
    assertThat(api.domainXml(vm, false)).contains(other);
    assertThat(api.domainXml(vm, true)).contains(other);
    api.refused(HttpMethod.PUT, media, Map.of("source", "/etc/passwd"), 400);
    api.remove(vm);
  }
}
