package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.pci.PciDevice;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a host's owner read of it (its probe, the monitor's domains, the PCI table), as the other
 * replicas take it over instead of reading the host themselves.
 *
 * @param readingFrom when the reading began: a deploy whose domain was defined before then is
 *     counted by {@code domains} (see {@link MemoryPromises})
 */
public record HostReading(
    Instant readingFrom,
    Host.Probe probe,
    List<DomainStats> domains,
    @Nullable List<PciDevice> pci) {

  public HostReading {
    domains = List.copyOf(domains);
    pci = pci == null ? null : List.copyOf(pci);
  }

  /** What {@code host} holds now, read from {@code readingFrom} on. */
  static HostReading of(Host host, Instant readingFrom) {
    return new HostReading(readingFrom, host.probe(), host.domains(), host.pci());
  }
}
