package io.virtflux.vm.template;

import java.util.Collection;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The enumerated values templates may use. */
final class TemplateVocabulary {

  static final Set<String> DOMAIN_TYPES = WireValue.all(DomainType.class);
  static final Set<String> BOOT_DEVICES = Set.of("hd", "cdrom", "fd", "network");
  static final Set<String> DISK_TYPES = WireValue.all(DiskType.class);
  static final Set<String> DISK_DRIVERS = WireValue.all(DiskDriver.class);
  static final Set<String> DISK_CACHES = WireValue.all(DiskCache.class);

  /** QEMU's native AIO needs O_DIRECT, which only these cache modes give. */
  static final Set<String> DIRECT_CACHES =
      Set.of(DiskCache.NONE.wire(), DiskCache.DIRECTSYNC.wire());

  static final Set<String> DISK_IOS = WireValue.all(DiskIo.class);
  static final Set<String> DISK_DISCARDS = WireValue.all(DiskDiscard.class);
  static final Set<String> DEV_PREFIXES = WireValue.all(DevPrefix.class);

  /** The NIC models QEMU's x86 machines offer (libvirt passes the name through to QEMU). */
  static final Set<String> NIC_MODELS = WireValue.all(NicModel.class);

  static final Set<String> NIC_TYPES = WireValue.all(NicType.class);

  /** NIC types backed by a host tap, the only ones that take a target, filter or script. */
  static final Set<String> TAP_NIC_TYPES = Set.of("network", "bridge", "ethernet");

  static final Set<String> GRAPHICS_TYPES = WireValue.all(GraphicsType.class);
  static final Set<String> CONSOLE_TYPES = WireValue.all(ConsoleType.class);
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
