package io.virtflux.vm.template;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults for what a template leaves out: OpenNebula's {@code vmm_exec_kvm.conf}, bound from
 * {@code virtflux.vm.defaults}. The template overrides them attribute by attribute.
 *
 * @param emulator {@code EMULATOR}
 * @param vcpu {@code VCPU}
 * @param os {@code OS = [ARCH, MACHINE, KERNEL, INITRD, KERNEL_CMD, ROOT, BOOT]}
 * @param features {@code FEATURES = [ACPI, APIC, PAE]} plus the guest agent channel
 * @param cpuMode {@code <cpu mode=...>} for kvm domains (host-passthrough, host-model); never
 *     applied to qemu (TCG) domains, where host CPU modes abort or mislead
 * @param disk {@code DISK = [DRIVER, CACHE, IO, DISCARD]} and the default target prefix
 * @param nic {@code NIC = [MODEL, FILTER]} and the default NIC type
 * @param graphics the listen address of templates that ask for graphics without one
 * @param consoleType {@code file} or {@code pty}, see {@link VmTemplate.Console}
 * @param memballoon {@code none} (the lab's choice) or a balloon model such as {@code virtio}
 * @param pcieRootPorts spare {@code pcie-root-port}s added to q35 guests so that devices can be
 *     hotplugged (pc guests hotplug on the root bus)
 * @param raw {@code RAW} data merged into every domain before the template's; trusted (it is
 *     operator configuration), so the RAW policy does not apply
 * @param defaultAttachCache {@code DEFAULT_ATTACH_CACHE}: the cache of hotplugged disks that name
 *     none
 */
@ConfigurationProperties("virtflux.vm.defaults")
public record VmDefaults(
    @DefaultValue("/usr/bin/qemu-system-x86_64") String emulator,
    @DefaultValue("1") int vcpu,
    @DefaultValue Os os,
    @DefaultValue Features features,
    @Nullable String cpuMode,
    @DefaultValue Disk disk,
    @DefaultValue Nic nic,
    @DefaultValue Graphics graphics,
    @DefaultValue("file") String consoleType,
    @DefaultValue("none") String memballoon,
    @DefaultValue("8") int pcieRootPorts,
    @Nullable String raw,
    @DefaultValue("none") String defaultAttachCache) {

  /** {@code OS} defaults; kernel, initrd and command line are usually left unset. */
  public record Os(
      @DefaultValue("x86_64") String arch,
      @Nullable String machine,
      @Nullable String kernel,
      @Nullable String initrd,
      @Nullable String kernelCmd,
      @Nullable String root,
      @DefaultValue("hd") List<String> boot) {

    public Os {
      boot = boot == null ? List.of() : VmTemplate.splitBoot(boot);
    }
  }

  /** Feature defaults: ACPI and APIC on (needed for ACPI shutdown), PAE and agent off. */
  public record Features(
      @DefaultValue("true") boolean acpi,
      @DefaultValue("true") boolean apic,
      @DefaultValue("false") boolean pae,
      @DefaultValue("false") boolean guestAgent) {}

  /** Disk defaults: raw images, no host cache, SCSI targets. */
  public record Disk(
      @DefaultValue("raw") String driver,
      @DefaultValue("none") String cache,
      @Nullable String io,
      @Nullable String discard,
      @DefaultValue("sd") String devPrefix) {}

  /** NIC defaults: user networking (needs nothing on the host and migrates), virtio, no filter. */
  public record Nic(
      @DefaultValue("user") String type,
      @DefaultValue("virtio") String model,
      @Nullable String filter) {}

  /** Graphics defaults: listen on loopback only. */
  public record Graphics(@DefaultValue("127.0.0.1") String listen) {}
}
