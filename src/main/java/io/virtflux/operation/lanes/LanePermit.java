package io.virtflux.operation.lanes;

import io.virtflux.operation.OperationKind;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A slot held in one lane. Released exactly once however many paths (completion, error, cancel) try
 * to release it, so a race between them can never free a slot twice.
 */
final class LanePermit {

  private final HostLane lane;
  private final OperationKind kind;
  private final AtomicBoolean released = new AtomicBoolean();

  LanePermit(HostLane lane, OperationKind kind) {
    this.lane = lane;
    this.kind = kind;
  }

  OperationKind kind() {
    return kind;
  }

  void release() {
    if (released.compareAndSet(false, true)) {
      lane.release(this);
    }
  }
}
