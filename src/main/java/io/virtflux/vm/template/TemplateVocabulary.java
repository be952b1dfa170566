package io.virtflux.vm.template;

import java.util.Collection;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The enumerated values templates may use. */
final class TemplateVocabulary {

  static final Set<String> DOMAIN_TYPES = Set.of("kvm", "qemu");
  static final Set<String> BOOT_DEVICES = Set.of("hd", "cdrom", "fd", "network");
  static final Set<String> DISK_TYPES = Set.of("disk", "cdrom", "floppy");
  static final Set<String> DISK_DRIVERS =
      Set.of("raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vpc", "vhdx");
  static final Set<String> DISK_CACHES =
      Set.of("default", "none", "writethrough", "writeback", "directsync", "unsafe");

  /** QEMU's native AIO needs O_DIRECT, which only these cache modes give. */
  static final Set<String> DIRECT_CACHES = Set.of("none", "directsync");

  static final Set<String> DISK_IOS = Set.of("native", "threads", "io_uring");
  static final Set<String> DISK_DISCARDS = Set.of("unmap", "ignore");

  /** The NIC models QEMU's x86 machines offer (libvirt passes the name through to QEMU). */
  static final Set<String> NIC_MODELS =
      Set.of(
          "virtio",
          "virtio-transitional",
          "virtio-non-transitional",
          "e1000",
          "e1000e",
          "rtl8139",
          "ne2k_pci",
          "pcnet",
          "i82550",
          "i82551",
          "i82557b",
          "i82559er",
          "vmxnet3");

  static final Set<String> NIC_TYPES = Set.of("user", "network", "bridge", "ethernet");

  /** NIC types backed by a host tap, the only ones that take a target, filter or script. */
  static final Set<String> TAP_NIC_TYPES = Set.of("network", "bridge", "ethernet");

  static final Set<String> GRAPHICS_TYPES = Set.of("vnc", "spice");
  static final Set<String> CONSOLE_TYPES = Set.of("file", "pty");
  static final String RAW_TYPE = "kvm";

  private TemplateVocabulary() {}

  /** "one of [a, b, c]", sorted for stable messages. */
  static String oneOf(Set<String> values) {
    return "must be one of " + values.stream().sorted().toList();
  }

  /**
   * Whether {@code value} is one of {@code allowed}; never for null. {@code Set.of} and {@code
   * List.of} throw on {@code contains(null)}, and a client can send null for any field.
   */
  static boolean isOneOf(Collection<String> allowed, @Nullable String value) {
    return value != null && allowed.contains(value);
  }
}
