package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** A disk's device kind (libvirt's {@code <disk device=...>}); absent means disk. */
@Schema(enumAsRef = true)
public enum DiskType implements WireValue {
  DISK("disk"),
  CDROM("cdrom"),
  FLOPPY("floppy");

  private final String wire;

  DiskType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
