package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** A disk's host page cache mode (libvirt's {@code <driver cache=...>}, OpenNebula's CACHE). */
@Schema(enumAsRef = true)
public enum DiskCache implements WireValue {
  DEFAULT("default"),
  NONE("none"),
  WRITETHROUGH("writethrough"),
  WRITEBACK("writeback"),
  DIRECTSYNC("directsync"),
  UNSAFE("unsafe");

  private final String wire;

  DiskCache(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
