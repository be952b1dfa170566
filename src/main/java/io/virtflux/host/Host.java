package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.HostRef;
import io.virtflux.pci.PciDevice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One host: its configuration and what the last probe found. Immutable; the registry swaps whole
 * snapshots so readers never see half an update.
 *
 * @param status what the last probe found (ONLINE, OFFLINE, ERROR; UNKNOWN before the first)
 * @param kvm whether the host's libvirt offers domain type kvm (not just /dev/kvm existing)
 * @param since when {@code status} last changed
 * @param disabled set by an admin: no new operations are accepted; running ones finish
 * @param domains the monitor's last reading of every domain (virDomainGetInfo)
 * @param pci the PCI table of the last sync; null until the first one
 */
public record Host(
    HostConfig config,
    Transport transport,
    List<Path> datastores,
    HostStatus status,
    @Nullable String reason,
    @Nullable HostFacts facts,
    boolean kvm,
    @Nullable Instant probedAt,
    @Nullable Instant since,
    boolean disabled,
    List<DomainStats> domains,
    @Nullable List<PciDevice> pci) {

  public Host {
    domains = List.copyOf(domains);
    pci = pci == null ? null : List.copyOf(pci);
  }

  /** A host just configured, never probed. */
  static Host unprobed(HostConfig config, Transport transport, List<Path> datastores) {
    return new Host(
        config,
        transport,
        datastores,
        HostStatus.UNKNOWN,
        null,
        null,
        false,
        null,
        null,
        false,
        List.of(),
        null);
  }

  /** The state the API shows: DISABLED when an admin disabled it, else what probing found. */
  public HostStatus state() {
    return disabled ? HostStatus.DISABLED : status;
  }

  public String name() {
    return config.name();
  }

  public HostRef ref() {
    return new HostRef(config.name(), config.uri());
  }

  /** The lane limit: 1 unless the transport allows parallel actions and they are enabled. */
  public int laneLimit() {
    return transport.parallelCapable() && config.parallel() ? config.actions() : 1;
  }

  /** The domain type a deploy uses on this host: configured, else kvm when the host offers it. */
  public String domainType() {
    String configured = config.domainTypeOrAuto();
    if (!configured.equals("auto")) {
      return configured;
    }
    return kvm ? "kvm" : "qemu";
  }

  Host probed(HostStatus status, @Nullable String reason, @Nullable HostFacts facts, boolean kvm) {
    Instant now = Instant.now();
    return new Host(
        config,
        transport,
        datastores,
        status,
        reason,
        facts,
        kvm,
        now,
        status == this.status && since != null ? since : now,
        disabled,
        domains,
        pci);
  }

  Host monitored(List<DomainStats> newDomains) {
    return new Host(
        config,
        transport,
        datastores,
        status,
        reason,
        facts,
        kvm,
        probedAt,
        since,
        disabled,
        newDomains,
        pci);
  }

  Host withPci(List<PciDevice> table) {
    return new Host(
        config,
        transport,
        datastores,
        status,
        reason,
        facts,
        kvm,
        probedAt,
        since,
        disabled,
        domains,
        table);
  }

  Host withDisabled(boolean value) {
    return new Host(
        config,
        transport,
        datastores,
        status,
        reason,
        facts,
        kvm,
        probedAt,
        since,
        value,
        domains,
        pci);
  }
}
