package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** Where a VM's serial console goes: a log file in a datastore, or an interactive pty. */
@Schema(enumAsRef = true)
public enum ConsoleType implements WireValue {
  FILE("file"),
  PTY("pty");

  private final String wire;

  ConsoleType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
