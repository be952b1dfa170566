package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.DiskTargets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Merges a template with {@link VmDefaults}: each attribute the template sets wins, each it leaves
 * out comes from the defaults. The result is again a {@link VmTemplate}, with every attribute the
 * builder needs filled in (disk targets assigned, the console log path chosen), so it can be
 * validated, shown or stored as "what was deployed".
 *
 * <p>A few defaults depend on other attributes, as in OpenNebula: cdroms and floppies get a raw
 * driver and cdroms are read-only; user-mode NICs get no nwfilter (libvirt refuses one); the
 * default boot list is dropped when a disk has a boot order.
 */
public final class TemplateDefaults {

  private TemplateDefaults() {}

  /** The template with defaults applied. Tolerates invalid input; it does not validate. */
  public static VmTemplate apply(VmTemplate t, VmDefaults d, HostFacts host) {
    boolean perDeviceBoot =
        t.disks().stream().anyMatch(disk -> disk != null && disk.bootOrder() != null);
    List<VmTemplate.Disk> disks = new ArrayList<>();
    for (VmTemplate.Disk disk : t.disks()) {
      disks.add(disk == null ? null : disk(disk, d.disk(), d.disk().cache()));
    }
    List<VmTemplate.Nic> nics = new ArrayList<>();
    for (VmTemplate.Nic nic : t.nics()) {
      nics.add(nic == null ? null : nic(nic, d.nic()));
    }
    return new VmTemplate(
        t.name(),
        t.memory(),
        t.cpu(),
        first(t.vcpu(), d.vcpu()),
        first(t.domainType(), host.domainType().xmlName()),
        first(t.emulator(), d.emulator()),
        os(t.os(), d.os(), perDeviceBoot),
        features(t.features(), d.features()),
        assignTargets(disks),
        nics,
        graphics(t.graphics(), d.graphics()),
        console(t, d.consoleType(), host),
        t.raw(),
        t.pci());
  }

  private static VmTemplate.Os os(VmTemplate.@Nullable Os t, VmDefaults.Os d, boolean perDevice) {
    if (t == null) {
      t = new VmTemplate.Os(null, null, null, null, null, null, List.of());
    }
    List<String> boot = !t.boot().isEmpty() ? t.boot() : perDevice ? List.of() : d.boot();
    return new VmTemplate.Os(
        first(t.arch(), d.arch()),
        firstOrNull(t.machine(), d.machine()),
        firstOrNull(t.kernel(), d.kernel()),
        firstOrNull(t.initrd(), d.initrd()),
        firstOrNull(t.kernelCmd(), d.kernelCmd()),
        firstOrNull(t.root(), d.root()),
        boot);
  }

  private static VmTemplate.Features features(
      VmTemplate.@Nullable Features t, VmDefaults.Features d) {
    if (t == null) {
      return new VmTemplate.Features(d.acpi(), d.pae(), d.apic(), d.guestAgent());
    }
    return new VmTemplate.Features(
        first(t.acpi(), d.acpi()),
        first(t.pae(), d.pae()),
        first(t.apic(), d.apic()),
        first(t.guestAgent(), d.guestAgent()));
  }

  /**
   * A disk to hotplug with defaults applied: as at deploy, except that a disk without a cache mode
   * gets {@link VmDefaults#defaultAttachCache()} (OpenNebula's DEFAULT_ATTACH_CACHE). The target
   * stays unassigned when absent; it depends on the VM's live devices.
   */
  public static VmTemplate.Disk attachedDisk(VmTemplate.Disk t, VmDefaults d) {
    return disk(t, d.disk(), d.defaultAttachCache());
  }

  /** A NIC to hotplug with defaults applied, as at deploy. */
  public static VmTemplate.Nic attachedNic(VmTemplate.Nic t, VmDefaults d) {
    return nic(t, d.nic());
  }

  private static VmTemplate.Disk disk(VmTemplate.Disk t, VmDefaults.Disk d, String cache) {
    String type = first(t.type(), "disk");
    boolean media = "cdrom".equals(type) || "floppy".equals(type);
    String prefix = t.devPrefix();
    if (prefix == null && t.target() != null) {
      prefix = DevPrefix.ofTarget(t.target()).map(DevPrefix::prefix).orElse(null);
    }
    if (prefix == null) {
      prefix = "floppy".equals(type) ? DevPrefix.FD.prefix() : d.devPrefix();
    }
    return new VmTemplate.Disk(
        t.source(),
        type,
        first(t.driver(), media ? "raw" : d.driver()),
        first(t.cache(), cache),
        firstOrNull(t.io(), d.io()),
        firstOrNull(t.discard(), media ? null : d.discard()),
        prefix,
        t.target(),
        "cdrom".equals(type) || Boolean.TRUE.equals(t.readonly()),
        t.bootOrder(),
        t.iotune());
  }

  /**
   * Gives every disk without a target the lowest free one of its prefix, in template order, after
   * reserving the targets the template names ({@code sda}, {@code sdb}, …; {@code vda}, …).
   */
  private static List<VmTemplate.Disk> assignTargets(List<VmTemplate.Disk> disks) {
    Set<String> used = new HashSet<>();
    for (VmTemplate.Disk disk : disks) {
      if (disk != null && disk.target() != null) {
        used.add(disk.target());
      }
    }
    List<VmTemplate.Disk> out = new ArrayList<>();
    for (VmTemplate.Disk disk : disks) {
      Optional<DevPrefix> prefix =
          disk == null || disk.devPrefix() == null
              ? Optional.empty()
              : DevPrefix.of(disk.devPrefix());
      if (disk == null || disk.target() != null || prefix.isEmpty()) {
        out.add(disk);
        continue;
      }
      String target = DiskTargets.nextFree(prefix.get().prefix(), used);
      used.add(target);
      out.add(disk.withTarget(prefix.get().prefix(), target));
    }
    return out;
  }

  private static VmTemplate.Nic nic(VmTemplate.Nic t, VmDefaults.Nic d) {
    String type = first(t.type(), d.type());
    String filter = t.filter() != null ? t.filter() : "user".equals(type) ? null : d.filter();
    return new VmTemplate.Nic(
        type,
        t.source(),
        first(t.model(), d.model()),
        t.mac(),
        t.target(),
        t.script(),
        filter,
        t.bandwidth());
  }

  private static VmTemplate.@Nullable Graphics graphics(
      VmTemplate.@Nullable Graphics t, VmDefaults.Graphics d) {
    if (t == null) {
      return null;
    }
    return new VmTemplate.Graphics(t.type(), first(t.listen(), d.listen()), t.port());
  }

  private static VmTemplate.Console console(VmTemplate t, String defaultType, HostFacts host) {
    VmTemplate.Console c = t.console();
    String type = first(c == null ? null : c.type(), defaultType);
    String path = c == null ? null : c.path();
    // Derive the log path only from a safe name: "../x" must not become a path we then report.
    if (path == null && "file".equals(type) && t.name() != null && SafeNames.isSafe(t.name())) {
      path = host.datastoreRoots().get(0).resolve(t.name() + ".serial.log").toString();
    }
    return new VmTemplate.Console(type, path);
  }

  private static <T> T first(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static <T> @Nullable T firstOrNull(@Nullable T value, @Nullable T fallback) {
    return value != null ? value : fallback;
  }
}
