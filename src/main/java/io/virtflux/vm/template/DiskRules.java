package io.virtflux.vm.template;

import static io.virtflux.vm.template.TemplateVocabulary.oneOf;

import io.virtflux.libvirt.xml.DiskTargets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Checks the disks of a template with defaults applied. */
final class DiskRules {

  private DiskRules() {}

  static void check(
      List<VmTemplate.Disk> disks, @Nullable String machine, List<Path> roots, Violations v) {
    Map<String, Integer> targets = new HashMap<>();
    Map<Integer, Integer> bootOrders = new HashMap<>();
    for (int i = 0; i < disks.size(); i++) {
      String f = "disks[" + i + "]";
      VmTemplate.Disk disk = disks.get(i);
      if (disk == null) {
        v.add(f, "must not be null");
        continue;
      }
      Optional<DevPrefix> prefix = checkOne(f, disk, machine, roots, v);
      if (prefix.isPresent()) {
        target(f, disk, prefix.get(), targets, i, v);
      }
      if (disk.bootOrder() != null) {
        Integer other = bootOrders.putIfAbsent(disk.bootOrder(), i);
        if (disk.bootOrder() < 1) {
          v.add(Violations.at(f, "bootOrder"), "must be at least 1");
        } else if (other != null) {
          v.add(Violations.at(f, "bootOrder"), "same boot order as disks[" + other + "]");
        }
      }
    }
  }

  /**
   * The rules of one disk, reported under {@code f} ({@code disks[0]}, or empty for a hotplugged
   * disk); emits the disk's prefix when it is a known one.
   */
  static Optional<DevPrefix> checkOne(
      String f, VmTemplate.Disk disk, @Nullable String machine, List<Path> roots, Violations v) {
    String type = disk.type();
    enumerated(Violations.at(f, "type"), type, TemplateVocabulary.DISK_TYPES, v);
    enumerated(Violations.at(f, "driver"), disk.driver(), TemplateVocabulary.DISK_DRIVERS, v);
    enumerated(Violations.at(f, "cache"), disk.cache(), TemplateVocabulary.DISK_CACHES, v);
    enumerated(Violations.at(f, "io"), disk.io(), TemplateVocabulary.DISK_IOS, v);
    enumerated(Violations.at(f, "discard"), disk.discard(), TemplateVocabulary.DISK_DISCARDS, v);
    if ("native".equals(disk.io())
        && !TemplateVocabulary.isOneOf(TemplateVocabulary.DIRECT_CACHES, disk.cache())) {
      v.add(
          Violations.at(f, "io"), "native needs cache none or directsync (QEMU requires O_DIRECT)");
    }
    source(f, disk, roots, v);
    iotune(f, disk.iotune(), v);
    Optional<DevPrefix> prefix = prefix(f, disk, machine, v);
    prefix.ifPresent(p -> targetName(f, disk, p, v));
    return prefix;
  }

  private static void source(String f, VmTemplate.Disk disk, List<Path> roots, Violations v) {
    if (disk.source() == null) {
      if (!"cdrom".equals(disk.type())) {
        v.add(Violations.at(f, "source"), "is required (only a cdrom drive may be empty)");
      }
      return;
    }
    String problem = DatastorePaths.problem(disk.source(), roots);
    if (problem != null) {
      v.add(Violations.at(f, "source"), problem);
    }
  }

  private static Optional<DevPrefix> prefix(
      String f, VmTemplate.Disk disk, @Nullable String machine, Violations v) {
    String name = disk.devPrefix();
    Optional<DevPrefix> prefix = name == null ? Optional.empty() : DevPrefix.of(name);
    if (prefix.isEmpty()) {
      v.add(Violations.at(f, "devPrefix"), oneOf(TemplateVocabulary.DEV_PREFIXES));
      return prefix;
    }
    DevPrefix p = prefix.get();
    if ("cdrom".equals(disk.type()) && p == DevPrefix.VD) {
      v.add(Violations.at(f, "devPrefix"), "virtio (vd) cannot hold a cdrom; use sd");
    }
    if ("floppy".equals(disk.type()) != (p == DevPrefix.FD)) {
      v.add(Violations.at(f, "devPrefix"), "fd is for floppies, and floppies need fd");
    }
    if (p == DevPrefix.HD && machine != null && machine.contains("q35")) {
      v.add(Violations.at(f, "devPrefix"), "q35 machines have no IDE bus; use sd or vd");
    }
    return prefix;
  }

  private static void target(
      String f,
      VmTemplate.Disk disk,
      DevPrefix prefix,
      Map<String, Integer> seen,
      int index,
      Violations v) {
    String target = disk.target();
    if (target == null || DiskTargets.index(prefix.prefix(), target) < 0) {
      return;
    }
    Integer other = seen.putIfAbsent(target, index);
    if (other != null) {
      v.add(Violations.at(f, "target"), "same target as disks[" + other + "]");
    }
  }

  private static void targetName(String f, VmTemplate.Disk disk, DevPrefix prefix, Violations v) {
    String target = disk.target();
    if (target == null) {
      return;
    }
    int slot = DiskTargets.index(prefix.prefix(), target);
    if (slot < 0) {
      v.add(
          Violations.at(f, "target"),
          "must be " + prefix.prefix() + " followed by 1 to 3 letters a-z");
    } else if (slot >= prefix.maxDevices()) {
      v.add(
          Violations.at(f, "target"),
          prefix.bus() + " takes at most " + prefix.maxDevices() + " disks");
    }
  }

  /** libvirt refuses a total limit together with a read or write limit of the same kind. */
  private static void iotune(String f, VmTemplate.@Nullable IoTune t, Violations v) {
    if (t == null) {
      return;
    }
    totalOrSplit(f, "BytesSec", t.totalBytesSec(), t.readBytesSec(), t.writeBytesSec(), v);
    totalOrSplit(f, "IopsSec", t.totalIopsSec(), t.readIopsSec(), t.writeIopsSec(), v);
  }

  /**
   * A total limit and read/write limits of the same unit exclude each other (libvirt refuses both);
   * every one of them that was given is named, so a client sees each field of the conflict.
   */
  private static void totalOrSplit(
      String f,
      String unit,
      @Nullable Long total,
      @Nullable Long read,
      @Nullable Long write,
      Violations v) {
    if (total == null || (read == null && write == null)) {
      return;
    }
    v.add(
        Violations.at(f, "iotune.total" + unit),
        "cannot be combined with read" + unit + " or write" + unit);
    if (read != null) {
      v.add(Violations.at(f, "iotune.read" + unit), "cannot be combined with total" + unit);
    }
    if (write != null) {
      v.add(Violations.at(f, "iotune.write" + unit), "cannot be combined with total" + unit);
    }
  }

  private static void enumerated(
      String field, @Nullable String value, Set<String> allowed, Violations v) {
    if (value != null && !allowed.contains(value)) {
      v.add(field, oneOf(allowed));
    }
  }
}
