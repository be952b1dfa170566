package io.virtflux.migration;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Which disk contents a migration copies to the destination: none (shared storage, the default),
 * all, or incremental (the backing chain is there already). Published in the contract;
 * MigrationRequest keeps a string so that a wrong value is a 400 naming the field.
 */
@Schema(enumAsRef = true)
public enum CopyStorage {
  NONE("none"),
  ALL("all"),
  INCREMENTAL("incremental");

  private final String wire;

  CopyStorage(String wire) {
    this.wire = wire;
  }

  /** The value as JSON carries it. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
