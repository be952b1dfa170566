package io.virtflux.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One VM as the API shows it: where it runs, its state, and its devices as libvirt has them now.
 *
 * @param managed whether this service deployed it; VMs created elsewhere are shown too
 * @param cpuShares the cgroup CPU weight ({@code <cputune><shares>}: ceil(cpu × 1024))
 * @param pci host PCI functions passed through ({@code 0000:65:00.0})
 */
public record VmDetail(
    String name,
    String uuid,
    String host,
    @Schema(enumAsRef = true) VmState state,
    String domainType,
    int vcpu,
    long memoryMiB,
    @Nullable Long cpuShares,
    boolean persistent,
    boolean managed,
    List<Disk> disks,
    List<Nic> nics,
    List<String> pci) {

  /**
   * A disk: target ({@code vda}), bus, device kind, source path and driver settings, as libvirt has
   * them. Free strings, not the template's enums: a VM created elsewhere may use values a template
   * may not.
   */
  @Schema(name = "VmDisk")
  public record Disk(
      @Nullable String target,
      @Nullable String bus,
      @Nullable String device,
      @Nullable String source,
      @Nullable String driver,
      @Nullable String cache,
      @Nullable String io,
      boolean readonly) {}

  /**
   * A NIC: MAC, type, source network or bridge, model, host-side target device, as libvirt has them
   * (free strings, as for disks).
   */
  @Schema(name = "VmNic")
  public record Nic(
      @Nullable String mac,
      String type,
      @Nullable String source,
      @Nullable String model,
      @Nullable String target,
      @Nullable String filter) {}

  static VmDetail of(String host, DomainStatus status, DomainXml domain) {
    return new VmDetail(
        status.name(),
        status.uuid(),
        host,
        status.state(),
        domain.type(),
        status.vcpus(),
        status.memoryKiB() / 1024,
        domain.cputune() == null ? null : domain.cputune().shares(),
        status.persistent(),
        status.managed(),
        domain.devicesOrEmpty().disks().stream().map(VmDetail::disk).toList(),
        domain.devicesOrEmpty().interfaces().stream().map(VmDetail::nic).toList(),
        domain.devicesOrEmpty().hostPciAddresses().stream().map(Object::toString).toList());
  }

  private static Disk disk(DiskXml d) {
    DiskXml.Driver driver = d.driver();
    return new Disk(
        d.targetDev(),
        d.target() == null ? null : d.target().bus(),
        d.device(),
        d.source() == null ? null : d.source().path(),
        driver == null ? null : driver.type(),
        driver == null ? null : driver.cache(),
        driver == null ? null : driver.io(),
        d.isReadonly());
  }

  private static Nic nic(InterfaceXml i) {
    InterfaceXml.Source s = i.source();
    return new Nic(
        i.macAddress(),
        i.type(),
        s == null ? null : (s.network() != null ? s.network() : s.bridge()),
        i.model() == null ? null : i.model().type(),
        i.target() == null ? null : i.target().dev(),
        i.filterref() == null ? null : i.filterref().filter());
  }
}
