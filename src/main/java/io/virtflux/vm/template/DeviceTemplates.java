package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The template's device attributes, one device at a time: what hotplug uses so that an attached
 * disk or NIC follows exactly the rules and defaults of one in a deploy template (datastore paths,
 * the NIC script allowlist, enumerated values), except that a disk without a cache mode gets the
 * default of OpenNebula's DEFAULT_ATTACH_CACHE. Field names in violations are the device's own
 * ({@code source}, {@code devPrefix}), not prefixed by a list index.
 */
@Component
public final class DeviceTemplates {

  private final VmDefaults defaults;
  private final VmPolicy policy;
  private final RandomGenerator random = new SecureRandom();

  public DeviceTemplates(VmDefaults defaults, VmPolicy policy) {
    this.defaults = defaults;
    this.policy = policy;
  }

  /**
   * The disk with defaults applied and checked; its target may still be absent.
   *
   * @param machine the VM's machine type ({@code pc-i440fx-7.2}, {@code q35}), for bus rules
   * @throws TemplateViolationException listing every refused attribute
   */
  public VmTemplate.Disk disk(VmTemplate.Disk asked, List<Path> roots, @Nullable String machine) {
    VmTemplate.Disk disk = TemplateDefaults.attachedDisk(asked, defaults);
    Violations v = new Violations();
    if (disk.bootOrder() != null && disk.bootOrder() < 1) {
      v.add("bootOrder", "must be at least 1");
    }
    DiskRules.checkOne("", disk, machine, roots, v);
    throwIfAny(v);
    return disk;
  }

  /** The {@code <disk>} element of a checked disk that has its target. */
  public DiskXml diskXml(VmTemplate.Disk disk) {
    if (disk.target() == null) {
      throw new IllegalArgumentException("choose the disk's target first");
    }
    return DeviceFactory.disk(disk);
  }

  /**
   * The NIC with defaults applied and checked, with a MAC: the caller's, or a random one in
   * 52:54:00:xx:xx:xx that is not in {@code taken}.
   *
   * @throws TemplateViolationException listing every refused attribute
   */
  public VmTemplate.Nic nic(VmTemplate.Nic asked, Collection<String> taken) {
    VmTemplate.Nic nic = TemplateDefaults.attachedNic(asked, defaults);
    Violations v = new Violations();
    NicRules.checkOne("", nic, policy, v);
    throwIfAny(v);
    return nic.mac() != null ? nic : nic.withMac(MacAddresses.random(random, taken));
  }

  /** The {@code <interface>} element of a checked NIC. */
  public InterfaceXml nicXml(VmTemplate.Nic nic) {
    if (nic.mac() == null) {
      throw new IllegalArgumentException("choose the NIC's MAC first");
    }
    return DeviceFactory.nic(nic, nic.mac());
  }

  private static void throwIfAny(Violations v) {
    if (!v.list().isEmpty()) {
      throw new TemplateViolationException(v.list());
    }
  }
}
