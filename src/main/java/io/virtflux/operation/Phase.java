package io.virtflux.operation;

/** Lifecycle of an operation: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
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
