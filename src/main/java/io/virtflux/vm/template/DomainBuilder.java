package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.CharDeviceXml;
import io.virtflux.libvirt.xml.CpuTuneXml;
import io.virtflux.libvirt.xml.CpuXml;
import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.FeaturesXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.libvirt.xml.MemballoonXml;
import io.virtflux.libvirt.xml.MemoryXml;
import io.virtflux.libvirt.xml.OsXml;
import io.virtflux.libvirt.xml.VcpuXml;
import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.libvirt.xml.XmlFragment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Builds the domain for a template: validates it ({@link TemplateValidator}), applies the defaults
 * ({@link TemplateDefaults}), maps every attribute to the typed model and merges RAW ({@link
 * RawMerge}). The result is what {@link io.virtflux.libvirt.LibvirtGateway#defineAndStart} defines,
 * RAW included.
 *
 * <p>What every domain gets, whatever the template says: a virtio-scsi controller (SCSI hotplug
 * works on every VM we deployed), {@code <controller type='usb' model='none'/>}, the configured
 * memballoon ({@code none} by default), a serial console, {@code on_poweroff=destroy}, {@code
 * on_reboot=restart}, {@code on_crash=destroy}. No graphics unless asked for.
 */
@Component
public final class DomainBuilder {

  private final VmDefaults defaults;
  private final TemplateValidator validator;
  private final RandomGenerator random;
  private final List<XmlElement> defaultRaw;

  /** The Spring constructor: MACs from a {@link SecureRandom}. */
  @Autowired
  public DomainBuilder(VmDefaults defaults, TemplateValidator validator) {
    this(defaults, validator, new SecureRandom());
  }

  /**
   * A builder drawing MACs from {@code random} (seed it for reproducible output).
   *
   * @throws io.virtflux.libvirt.xml.XmlFragmentException when the configured default RAW is not
   *     well-formed: a configuration error, reported at startup
   */
  public DomainBuilder(VmDefaults defaults, TemplateValidator validator, RandomGenerator random) {
    this.defaults = defaults;
    this.validator = validator;
    this.random = random;
    this.defaultRaw = defaults.raw() == null ? List.of() : XmlFragment.parse(defaults.raw());
  }

  /**
   * The domain for {@code template} on {@code host}.
   *
   * @throws TemplateViolationException when the template is invalid or not allowed
   */
  public DomainXml build(VmTemplate template, HostFacts host, CallerRole role) {
    List<Violation> violations = validator.validate(template, host, role);
    if (!violations.isEmpty()) {
      throw new TemplateViolationException(violations);
    }
    VmTemplate t = TemplateDefaults.apply(template, defaults, host);
    DomainXml domain =
        new DomainXml(
            t.domainType(),
            null,
            t.name(),
            null,
            MemoryXml.mib(t.memory()),
            null,
            VcpuXml.of(t.vcpu()),
            t.cpu() == null ? null : new CpuTuneXml(CpuShares.of(t.cpu())),
            os(t.os()),
            features(t.features()),
            cpu(t.domainType()),
            null,
            "destroy",
            "restart",
            "destroy",
            devices(t),
            List.of());
    List<XmlElement> raw = new ArrayList<>(defaultRaw);
    if (t.raw() != null && t.raw().data() != null) {
      raw.addAll(XmlFragment.parse(t.raw().data()));
    }
    return RawMerge.merge(domain, raw);
  }

  private static OsXml os(VmTemplate.Os os) {
    List<OsXml.Boot> boot = os.boot().stream().map(OsXml.Boot::new).toList();
    return new OsXml(
        new OsXml.Type(os.arch(), os.machine(), "hvm"),
        os.kernel(),
        os.initrd(),
        cmdline(os),
        boot);
  }

  /** OpenNebula's rule: ROOT=vda1 becomes {@code root=/dev/vda1} ahead of KERNEL_CMD. */
  private static @Nullable String cmdline(VmTemplate.Os os) {
    List<String> parts = new ArrayList<>();
    if (os.root() != null) {
      parts.add("root=" + (os.root().startsWith("/") ? os.root() : "/dev/" + os.root()));
    }
    if (os.kernelCmd() != null && !os.kernelCmd().isBlank()) {
      parts.add(os.kernelCmd());
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  private static @Nullable FeaturesXml features(VmTemplate.Features f) {
    return FeaturesXml.of(
        Boolean.TRUE.equals(f.acpi()), Boolean.TRUE.equals(f.apic()), Boolean.TRUE.equals(f.pae()));
  }

  /** Host CPU modes only make sense with KVM; under TCG {@code -cpu host} aborts. */
  private @Nullable CpuXml cpu(String domainType) {
    return defaults.cpuMode() != null && DomainType.KVM.xmlName().equals(domainType)
        ? CpuXml.mode(defaults.cpuMode())
        : null;
  }

  private DevicesXml devices(VmTemplate t) {
    List<DiskXml> disks = t.disks().stream().map(DeviceFactory::disk).toList();
    List<String> macs = new ArrayList<>();
    t.nics().stream().filter(n -> n.mac() != null).forEach(n -> macs.add(n.mac()));
    List<InterfaceXml> nics = new ArrayList<>();
    for (VmTemplate.Nic nic : t.nics()) {
      String mac = nic.mac();
      if (mac == null) {
        mac = MacAddresses.random(random, macs);
        macs.add(mac);
      }
      nics.add(DeviceFactory.nic(nic, mac));
    }
    List<CharDeviceXml> channels =
        Boolean.TRUE.equals(t.features().guestAgent())
            ? List.of(CharDeviceXml.guestAgentChannel())
            : List.of();
    return new DevicesXml(
        t.emulator(),
        disks,
        DeviceFactory.controllers(t.os().machine(), defaults.pcieRootPorts()),
        nics,
        List.of(DeviceFactory.serial(t.console())),
        List.of(),
        channels,
        List.of(),
        t.graphics() == null ? List.of() : List.of(DeviceFactory.graphics(t.graphics())),
        List.of(),
        MemballoonXml.of(defaults.memballoon()),
        List.of());
  }
}
