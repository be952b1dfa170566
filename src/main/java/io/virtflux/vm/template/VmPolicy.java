package io.virtflux.vm.template;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a template may ask of a host, bound from {@code virtflux.vm.policy}. A template runs as root
 * on the hypervisor through QEMU; these lists keep it from naming arbitrary binaries, scripts or
 * host files.
 *
 * <p>RAW element patterns are slash-separated paths from {@code <domain>}: {@code cpu}, {@code
 * devices/serial}. A segment may be {@code *} (any element) or {@code prefix:*} (any element of a
 * namespace, {@code qemu} being libvirt's QEMU namespace). A pattern also covers everything below
 * the element it matches.
 *
 * @param emulators QEMU binaries a template may name, exact paths
 * @param nicScripts NIC scripts a template may name, exact paths; empty means none
 * @param rawAllowedElements when not empty, every RAW element (a {@code devices} child or another
 *     top-level element) must match one of these
 * @param rawDeniedElements RAW may not contain these anywhere: by default the QEMU namespace
 *     (command-line passthrough), identity, the emulator, security labels and every device that
 *     points at host resources
 * @param rawDeniedAttributes RAW may not carry these attributes anywhere: the ones that name host
 *     files or devices ({@code <serial type='file'><source path=...>} would write any file as root)
 * @param rawUnrestrictedForAdmin when true, an admin's RAW only has to be well-formed
 */
@ConfigurationProperties("virtflux.vm.policy")
public record VmPolicy(
    @DefaultValue({"/usr/bin/qemu-system-x86_64", "/usr/bin/kvm"}) List<String> emulators,
    @DefaultValue List<String> nicScripts,
    @DefaultValue({
          "cpu",
          "features",
          "clock",
          "pm",
          "on_poweroff",
          "on_reboot",
          "on_crash",
          "devices/serial",
          "devices/console",
          "devices/channel",
          "devices/input",
          "devices/graphics",
          "devices/video",
          "devices/sound",
          "devices/audio",
          "devices/watchdog",
          "devices/panic",
          "devices/rng",
          "devices/controller",
          "devices/memballoon"
        })
        List<String> rawAllowedElements,
    @DefaultValue({
          "qemu:*",
          "name",
          "uuid",
          "os",
          "seclabel",
          "memoryBacking",
          "sysinfo",
          "resource",
          "devices/emulator",
          "devices/disk",
          "devices/filesystem",
          "devices/hostdev",
          "devices/interface",
          "devices/redirdev",
          "devices/smartcard",
          "devices/shmem",
          "devices/tpm"
        })
        List<String> rawDeniedElements,
    @DefaultValue({"path", "file", "dev", "dir", "socket", "evdev"})
        List<String> rawDeniedAttributes,
    @DefaultValue("false") boolean rawUnrestrictedForAdmin) {

  public VmPolicy {
    emulators = emulators == null ? List.of() : List.copyOf(emulators);
    nicScripts = nicScripts == null ? List.of() : List.copyOf(nicScripts);
    rawAllowedElements = rawAllowedElements == null ? List.of() : List.copyOf(rawAllowedElements);
    rawDeniedElements = rawDeniedElements == null ? List.of() : List.copyOf(rawDeniedElements);
    rawDeniedAttributes =
        rawDeniedAttributes == null ? List.of() : List.copyOf(rawDeniedAttributes);
  }
}
