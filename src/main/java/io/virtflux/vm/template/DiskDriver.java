package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** A disk image's format (libvirt's {@code <driver type=...>}). */
@Schema(enumAsRef = true)
public enum DiskDriver implements WireValue {
  RAW("raw"),
  QCOW2("qcow2"),
  QCOW("qcow"),
  QED("qed"),
  VMDK("vmdk"),
  VDI("vdi"),
  VPC("vpc"),
  VHDX("vhdx");

  private final String wire;

  DiskDriver(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
