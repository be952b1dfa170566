package io.virtflux.libvirt;

import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.XmlElement;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The port to libvirt. Every method runs its blocking libvirt calls on the adapter's bounded
 * scheduler, never on the caller's thread, and fails with {@link LibvirtFailure}. XML crosses this
 * port as the typed model of {@code io.virtflux.libvirt.xml} (or, where everything libvirt wrote
 * must survive, as its untyped tree: {@link #migratableXml}): the adapter alone writes and parses
 * libvirt's text, so what a feature builds is what libvirt gets. The exceptions are named so
 * ({@link #domainXmlText}, {@link #definitionXml}), for showing XML to people.
 */
public interface LibvirtGateway {

  /** Reads the host's facts (node info, versions, capabilities, domain count). */
  Mono<HostFacts> probe(HostRef host);

  /**
   * Defines the domain, marks it as deployed by this service ({@code mark} as metadata in {@link
   * ManagedMark#NAMESPACE}) and starts it; if the start fails, the definition is removed again.
   * What is defined is {@link #definitionXml} of {@code domain}, RAW elements included.
   */
  Mono<DomainStatus> defineAndStart(HostRef host, DomainXml domain, DeploymentMarkXml mark);

  /**
   * The text {@link #defineAndStart} sends to libvirt for {@code domain}; no libvirt call. For a
   * deploy's dry run, which must show exactly what a deploy would define.
   */
  String definitionXml(DomainXml domain);

  Mono<DomainStatus> status(HostRef host, String vm);

  /** All domains on the host, running or only defined. */
  Mono<List<DomainStatus>> list(HostRef host);

  /**
   * The domain's XML, parsed: the live one, or the persistent definition when {@code inactive}.
   * Holds what the model knows; everything else libvirt wrote is left out.
   */
  Mono<DomainXml> domainXml(HostRef host, String vm, boolean inactive);

  /**
   * The domain's XML as libvirt's own text, unparsed (the same virDomainGetXMLDesc as {@link
   * #domainXml}). Only for showing it to people: parsed, it would lose what the model does not
   * know.
   */
  Mono<String> domainXmlText(HostRef host, String vm, boolean inactive);

  Mono<Void> act(HostRef host, String vm, DomainAction action);

  /**
   * The domain's migratable XML (VIR_DOMAIN_XML_MIGRATABLE): the base of a destination XML ({@link
   * MigrationSpec#destinationXml}). An untyped tree with everything libvirt wrote, since it goes
   * back to libvirt: the typed model would drop what it does not know.
   */
  Mono<XmlElement> migratableXml(HostRef host, String vm);

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
   * virConnectCompareCPU on {@code host}: whether {@code cpu} (another host's, from its
   * capabilities) is compatible with it. Emits INCOMPATIBLE, IDENTICAL or SUPERSET.
   */
  Mono<String> compareCpu(HostRef host, CapabilitiesXml.HostCpu cpu);

  /**
   * virDomainAttachDeviceFlags: adds {@code device} (a disk or a NIC). Returns once QEMU has the
   * device; the guest sees it shortly after.
   */
  Mono<Void> attachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope);

  /**
   * virDomainDetachDeviceFlags: asks for the device's removal. For a live domain this only
   * <em>requests</em> the unplug: libvirt waits a few seconds for the guest to let go and then
   * reports success even when it has not, so callers confirm removal from the live XML.
   */
  Mono<Void> detachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope);

  /**
   * virDomainUpdateDeviceFlags with VIR_DOMAIN_DEVICE_MODIFY_FORCE: changes a device in place, used
   * to insert or eject a cdrom's medium even when the guest has locked the tray (as OpenNebula's
   * {@code virsh change-media --force}).
   */
  Mono<Void> updateDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope);

  /**
   * Every node device with {@code capability} ({@code pci}): virNodeListDevices, then
   * virNodeDeviceGetXMLDesc of each.
   */
  Mono<List<NodeDeviceXml>> nodeDevices(HostRef host, String capability);

  /** Every domain's XML by name: the live XML of running ones, the definition of the others. */
  Mono<Map<String, DomainXml>> domainXmls(HostRef host);

  /** virDomainGetInfo of every domain on the host: state, CPU time, memory, vCPUs. */
  Mono<List<DomainStats>> domainStats(HostRef host);

  /**
   * virDomainSetMetadata: puts {@code mark} in the domain's {@link ManagedMark} namespace (live and
   * persistent), as a deploy does; how VMs created elsewhere are imported.
   */
  Mono<Void> mark(HostRef host, String vm, DeploymentMarkXml mark);

  /**
   * The mark in the {@link ManagedMark} namespace, or empty when the domain has none (it was not
   * deployed or imported by this service).
   */
  Mono<DeploymentMarkXml> markOf(HostRef host, String vm);

  /** Closes the host's connection (if open); the next call opens a new one. */
  Mono<Void> disconnect(HostRef host);
}
