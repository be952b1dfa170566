package io.virtflux.migration;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the service does with a migration still running at timeoutSeconds: abort it (the default;
 * the VM keeps running on the source) or pause the guest so the copy converges. Published in the
 * contract; MigrationRequest keeps a string so that a wrong value is a 400 naming the field.
 */
@Schema(enumAsRef = true)
public enum MigrationTimeoutAction {
  ABORT("abort"),
  PAUSE("pause");

  private final String wire;

  MigrationTimeoutAction(String wire) {
    this.wire = wire;
  }

  /** The value as JSON carries it. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
