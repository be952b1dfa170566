package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Whether a disk passes the guest's discard (TRIM) requests to the image (OpenNebula's DISCARD).
 */
@Schema(enumAsRef = true)
public enum DiskDiscard implements WireValue {
  UNMAP("unmap"),
  IGNORE("ignore");

  private final String wire;

  DiskDiscard(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
