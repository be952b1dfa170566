package io.virtflux.host;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The domain type a host's VMs get: auto (kvm when the host's capabilities offer it, else qemu),
 * kvm or qemu. Published in the contract; HostConfig keeps a string so that a wrong value is a 400
 * naming the field.
 */
@Schema(enumAsRef = true)
public enum HostDomainType {
  AUTO("auto"),
  KVM("kvm"),
  QEMU("qemu");

  private final String wire;

  HostDomainType(String wire) {
    this.wire = wire;
  }

  /** The value as JSON carries it. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
