package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a NIC is connected: QEMU's user networking, a libvirt network, a host bridge, or a bare tap.
 */
@Schema(enumAsRef = true)
public enum NicType implements WireValue {
  USER("user"),
  NETWORK("network"),
  BRIDGE("bridge"),
  ETHERNET("ethernet");

  private final String wire;

  NicType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
