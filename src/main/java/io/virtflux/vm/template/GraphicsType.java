package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** The remote display protocol of a VM's graphics. */
@Schema(enumAsRef = true)
public enum GraphicsType implements WireValue {
  VNC("vnc"),
  SPICE("spice");

  private final String wire;

  GraphicsType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
