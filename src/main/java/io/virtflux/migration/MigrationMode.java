package io.virtflux.migration;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Who drives a migration: the source libvirtd (peer-to-peer, the default) or the service over both
 * connections (managed). Published in the contract; MigrationRequest keeps a string so that a wrong
 * value is a 400 naming the field.
 */
@Schema(enumAsRef = true)
public enum MigrationMode {
  PEER_TO_PEER("peer-to-peer"),
  MANAGED("managed");

  private final String wire;

  MigrationMode(String wire) {
    this.wire = wire;
  }

  /** The value as JSON carries it. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
