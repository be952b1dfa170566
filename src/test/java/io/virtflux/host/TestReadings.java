package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import java.util.ArrayList;
import java.util.List;

/** Readings of a host as its probe records them, for the memory tests. */
final class TestReadings {

  private TestReadings() {}

  /**
   * Records a reading of {@code host} in {@code registry}: 4096 MiB, {@code freeMiB} free, and one
   * running domain per entry of {@code vmsMiB}.
   */
  static void read(HostRegistry registry, String host, long freeMiB, long... vmsMiB) {
    HostFacts facts =
        new HostFacts(
            host,
            "QEMU",
            "9.0.0",
            "10.0.0",
            "x86_64",
            4,
            2000,
            4096 * 1024,
            freeMiB * 1024,
            0,
            new CapabilitiesXml(new CapabilitiesXml.Host(null, null, null), List.of()));
    List<DomainStats> domains = new ArrayList<>();
    for (int i = 0; i < vmsMiB.length; i++) {
      domains.add(
          new DomainStats("vm" + i, VmState.RUNNING, 0, vmsMiB[i] * 1024, vmsMiB[i] * 1024, 1));
    }
    registry.update(host, h -> h.probed(HostStatus.ONLINE, null, facts, false).monitored(domains));
  }
}
