package io.virtflux.libvirt;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The port to libvirt. Every method runs its blocking libvirt calls on the adapter's bounded
 * scheduler, never on the caller's thread, and fails with {@link LibvirtFailure}. XML crosses this
 * port as text produced and parsed by the typed model in {@code io.virtflux.libvirt.xml}.
 */
public interface LibvirtGateway {

  /** Reads the host's facts (node info, versions, capabilities, domain count). */
  Mono<HostFacts> probe(HostRef host);

  /**
   * Defines the domain, marks it as deployed by this service (metadata element {@code markXml} in
   * {@link ManagedMark#NAMESPACE}) and starts it; if the start fails, the definition is removed
   * again.
   */
  Mono<DomainStatus> defineAndStart(HostRef host, String domainXml, String markXml);

  Mono<DomainStatus> status(HostRef host, String vm);

  /** All domains on the host, running or only defined. */
  Mono<List<DomainStatus>> list(HostRef host);

  /** The domain's XML: the live one, or the persistent definition when {@code inactive}. */
  Mono<String> domainXml(HostRef host, String vm, boolean inactive);

  Mono<Void> act(HostRef host, String vm, DomainAction action);

  /** The domain's migratable XML (VIR_DOMAIN_XML_MIGRATABLE): the base of a destination XML. */
  Mono<String> migratableXml(HostRef host, String vm);

  /** virDomainSave: stops the domain, writing its memory to {@code path} on the host. */
  Mono<Void> save(HostRef host, String vm, String path);

  /** virDomainRestore: starts a domain from a file written by {@link #save}. */
  Mono<Void> restore(HostRef host, String path);

  /**
   * Migrates the domain; completes when libvirt reports the migration finished (blocking on a
   * libvirt thread for the whole run, so {@link #jobProgress} and {@link #abortJob} run beside it).
   */
  Mono<Void> migrate(HostRef source, String vm, MigrationSpec spec);

  /** virDomainGetJobStats of the domain's current job (or the completed one, when asked). */
  Mono<MigrationProgress> jobProgress(HostRef host, String vm, boolean completed);

  /** virDomainAbortJob: stops the domain's running job (a migration rolls back). */
  Mono<Void> abortJob(HostRef host, String vm);

  /** virDomainMigrateSetMaxDowntime for the running migration. */
  Mono<Void> setMaxDowntime(HostRef host, String vm, long milliseconds);

  /**
   * virConnectCompareCPU on {@code host}: whether a CPU (as described in another host's
   * capabilities) is compatible with it. Emits INCOMPATIBLE, IDENTICAL or SUPERSET.
   */
  Mono<String> compareCpu(HostRef host, String cpuXml);

  /**
   * virDomainAttachDeviceFlags: adds the device described by {@code deviceXml} (one {@code <disk>}
   * or {@code <interface>} element). Returns once QEMU has the device; the guest sees it shortly
   * after.
   */
  Mono<Void> attachDevice(HostRef host, String vm, String deviceXml, DeviceScope scope);

  /**
   * virDomainDetachDeviceFlags: asks for the device's removal. For a live domain this only
   * <em>requests</em> the unplug: libvirt waits a few seconds for the guest to let go and then
   * reports success even when it has not, so callers confirm removal from the live XML.
   */
  Mono<Void> detachDevice(HostRef host, String vm, String deviceXml, DeviceScope scope);

  /**
   * virDomainUpdateDeviceFlags with VIR_DOMAIN_DEVICE_MODIFY_FORCE: changes a device in place, used
   * to insert or eject a cdrom's medium even when the guest has locked the tray (as OpenNebula's
   * {@code virsh change-media --force}).
   */
  Mono<Void> updateDevice(HostRef host, String vm, String deviceXml, DeviceScope scope);

  /**
   * The XML of every node device with {@code capability} ({@code pci}): virNodeListDevices, then
   * virNodeDeviceGetXMLDesc of each.
   */
  Mono<List<String>> nodeDevices(HostRef host, String capability);

  /** Every domain's XML by name: the live XML of running ones, the definition of the others. */
  Mono<java.util.Map<String, String>> domainXmls(HostRef host);

  /** virDomainGetInfo of every domain on the host: state, CPU time, memory, vCPUs. */
  Mono<List<DomainStats>> domainStats(HostRef host);

  /**
   * virDomainSetMetadata: puts {@code markXml} in the domain's {@link ManagedMark} namespace (live
   * and persistent), as a deploy does; how VMs created elsewhere are imported.
   */
  Mono<Void> mark(HostRef host, String vm, String markXml);

  /**
   * The element in the {@link ManagedMark} namespace, or empty when the domain has none (it was not
   * deployed or imported by this service).
   */
  Mono<String> markOf(HostRef host, String vm);

  /** Closes the host's connection (if open); the next call opens a new one. */
  Mono<Void> disconnect(HostRef host);
}
