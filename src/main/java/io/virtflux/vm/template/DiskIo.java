package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A disk's I/O mode (libvirt's {@code <driver io=...>}, OpenNebula's IO); native needs cache none
 * or directsync.
 */
@Schema(enumAsRef = true)
public enum DiskIo implements WireValue {
  NATIVE("native"),
  THREADS("threads"),
  IO_URING("io_uring");

  private final String wire;

  DiskIo(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
