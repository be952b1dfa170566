package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.HostRef;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciFilter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One host: its configuration and what the service last learned about it. Immutable; the registry
 * swaps whole snapshots so readers never see half an update.
 *
 * @param connectUri the URI the service opens: the configured one plus the parameters of the
 *     service's credential files ({@link io.virtflux.libvirt.LibvirtCredentials})
 * @param probe what the last probe found
 * @param disabled set by an admin: no new operations are accepted; running ones finish
 * @param domains the monitor's last reading of every domain (virDomainGetInfo)
 * @param pci the PCI table of the last sync; null until the first one
 */
public record Host(
    HostConfig config,
    Transport transport,
    String connectUri,
    List<Path> datastores,
    Probe probe,
    boolean disabled,
    List<DomainStats> domains,
    @Nullable List<PciDevice> pci) {

  /**
   * The outcome of a probe.
   *
   * @param status ONLINE, OFFLINE, ERROR; UNKNOWN before the first probe
   * @param kvm whether the host's libvirt offers domain type kvm (not just /dev/kvm existing)
   * @param at when it was probed
   * @param since when {@code status} last changed
   */
  public record Probe(
      HostStatus status,
      @Nullable String reason,
      @Nullable HostFacts facts,
      boolean kvm,
      @Nullable Instant at,
      @Nullable Instant since) {

    static final Probe NONE = new Probe(HostStatus.UNKNOWN, null, null, false, null, null);
  }

  public Host {
    domains = List.copyOf(domains);
    pci = pci == null ? null : List.copyOf(pci);
  }

  /** A host that connects with its configured URI as it is. */
  public Host(
      HostConfig config,
      Transport transport,
      List<Path> datastores,
      Probe probe,
      boolean disabled,
      List<DomainStats> domains,
      @Nullable List<PciDevice> pci) {
    this(config, transport, config.uri(), datastores, probe, disabled, domains, pci);
  }

  /** A host just configured, never probed. */
  static Host unprobed(
      HostConfig config, Transport transport, String connectUri, List<Path> datastores) {
    return new Host(config, transport, connectUri, datastores, Probe.NONE, false, List.of(), null);
  }

  public HostStatus status() {
    return probe.status();
  }

  public @Nullable String reason() {
    return probe.reason();
  }

  public @Nullable HostFacts facts() {
    return probe.facts();
  }

  public boolean kvm() {
    return probe.kvm();
  }

  public @Nullable Instant probedAt() {
    return probe.at();
  }

  public @Nullable Instant since() {
    return probe.since();
  }

  /** The state the API shows: DISABLED when an admin disabled it, else what probing found. */
  public HostStatus state() {
    return disabled ? HostStatus.DISABLED : probe.status();
  }

  public String name() {
    return config.name();
  }

  public HostRef ref() {
    return new HostRef(config.name(), config.uri(), connectUri);
  }

  /** The lane limit: 1 unless the transport allows parallel actions and they are enabled. */
  public int laneLimit() {
    return transport.parallelCapable() && config.parallel() ? config.actions() : 1;
  }

  /** The configured default PCI filter (checked when the host was added), or every device. */
  public PciFilter pciFilter() {
    return config.pciFilter() == null ? PciFilter.ALL : PciFilter.parse(config.pciFilter());
  }

  /** The domain type a deploy uses on this host: configured, else kvm when the host offers it. */
  public String domainType() {
    String configured = config.domainTypeOrAuto();
    if (!configured.equals("auto")) {
      return configured;
    }
    return probe.kvm() ? "kvm" : "qemu";
  }

  Host probed(HostStatus status, @Nullable String reason, @Nullable HostFacts facts, boolean kvm) {
    Instant now = Instant.now();
    Instant changed = status == probe.status() && probe.since() != null ? probe.since() : now;
    return new Host(
        config,
        transport,
        connectUri,
        datastores,
        new Probe(status, reason, facts, kvm, now, changed),
        disabled,
        domains,
        pci);
  }

  Host monitored(List<DomainStats> newDomains) {
    return new Host(config, transport, connectUri, datastores, probe, disabled, newDomains, pci);
  }

  Host withPci(List<PciDevice> table) {
    return new Host(config, transport, connectUri, datastores, probe, disabled, domains, table);
  }

  /** The host as its owner read it (another replica's probe, domains and PCI table). */
  Host read(HostReading reading) {
    return new Host(
        config,
        transport,
        connectUri,
        datastores,
        reading.probe(),
        disabled,
        reading.domains(),
        reading.pci());
  }

  Host withDisabled(boolean value) {
    return new Host(config, transport, connectUri, datastores, probe, value, domains, pci);
  }
}
