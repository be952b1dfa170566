package io.virtflux.operation;

import io.swagger.v3.oas.annotations.media.Schema;

/** Lifecycle of an operation: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
@Schema(
    name = "OperationPhase",
    enumAsRef = true,
    description =
        "Lifecycle of an operation: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; the last"
            + " three are terminal.")
public enum Phase {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
