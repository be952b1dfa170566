package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Optional;

/**
 * OpenNebula's {@code DEV_PREFIX}: the target name prefix decides the disk bus. Hotplug works on
 * the SCSI and virtio buses only.
 */
@Schema(enumAsRef = true)
public enum DevPrefix implements WireValue {
  /** SCSI (virtio-scsi controller), the default: hotpluggable, many disks, cdroms. */
  SD("sd", "scsi", 18278),
  /** virtio-blk: hotpluggable, no cdroms. */
  VD("vd", "virtio", 18278),
  /** IDE: two buses, two units each (pc machines only). */
  HD("hd", "ide", 4),
  /** Floppy: two drives. */
  FD("fd", "fdc", 2);

  private final String prefix;
  private final String bus;
  private final int maxDevices;

  DevPrefix(String prefix, String bus, int maxDevices) {
    this.prefix = prefix;
    this.bus = bus;
    this.maxDevices = maxDevices;
  }

  /** {@code sd}, {@code vd}, {@code hd} or {@code fd}. */
  public String prefix() {
    return prefix;
  }

  @Override
  @JsonValue
  public String wire() {
    return prefix;
  }

  /** libvirt's {@code <target bus=...>}. */
  public String bus() {
    return bus;
  }

  /** How many targets the bus offers ({@code hda}…{@code hdd} for IDE). */
  public int maxDevices() {
    return maxDevices;
  }

  /** The prefix named {@code sd}, {@code vd}, {@code hd} or {@code fd}. */
  public static Optional<DevPrefix> of(String prefix) {
    for (DevPrefix p : values()) {
      if (p.prefix.equals(prefix)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The prefix a target name starts with ({@code vdb} → {@link #VD}). */
  public static Optional<DevPrefix> ofTarget(String target) {
    for (DevPrefix p : values()) {
      if (target.startsWith(p.prefix)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
