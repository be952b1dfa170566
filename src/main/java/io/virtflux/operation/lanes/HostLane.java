package io.virtflux.operation.lanes;

import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.LaneState;
import io.virtflux.operation.OperationKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One host's lane: a FIFO of waiting operations and a concurrency limit. A waiter that cannot start
 * only because of the DEPLOY cap is passed over, so it never blocks the operations queued behind it
 * (the head-of-line blocking of OpenNebula issue 7382).
 *
 * <p>State is guarded by the lane's monitor; the critical sections only count and move list
 * entries, and waiters are signalled after the monitor is left, so no downstream code ever runs
 * while it is held.
 */
final class HostLane {

  private final String host;
  private final LaneLimits limits;
  private final List<Waiter> queue = new LinkedList<>();
  private int running;
  private int deploys;
  private boolean closed;

  HostLane(String host, LaneLimits limits) {
    this.host = host;
    this.limits = limits;
  }

  /**
   * A permit once the lane admits an operation of this kind. Cancelling the Mono while queued
   * withdraws the waiter; cancelling it after admission gives the slot back.
   */
  Mono<LanePermit> acquire(OperationKind kind) {
    return Mono.create(
        sink -> {
          Waiter waiter = new Waiter(kind, sink);
          sink.onCancel(() -> withdraw(waiter));
          List<Waiter> admitted;
          synchronized (this) {
            queue.add(waiter);
            admitted = admit();
          }
          admitted.forEach(Waiter::grant);
        });
  }

  /** Admits no waiter from now on (see {@link HostLanes#close()}). */
  synchronized void close() {
    closed = true;
  }

  synchronized LaneState state() {
    return new LaneState(maxRunning(), running, queue.size());
  }

  void release(LanePermit permit) {
    List<Waiter> admitted;
    synchronized (this) {
      running--;
      if (permit.kind() == OperationKind.DEPLOY) {
        deploys--;
      }
      admitted = admit();
    }
    admitted.forEach(Waiter::grant);
  }

  private void withdraw(Waiter waiter) {
    LanePermit granted;
    synchronized (this) {
      if (queue.remove(waiter)) {
        return;
      }
      granted = waiter.permit;
    }
    // admitted, but the subscriber left before (or while) taking the permit
    if (granted != null) {
      granted.release();
    }
  }

  /** Moves every waiter that fits now out of the queue, oldest first. Caller holds the monitor. */
  private List<Waiter> admit() {
    List<Waiter> admitted = new ArrayList<>();
    if (closed) {
      return admitted;
    }
    int maxRunning = maxRunning();
    int maxDeploys = limit(limits::maxDeploys);
    for (Iterator<Waiter> it = queue.iterator(); it.hasNext() && running < maxRunning; ) {
      Waiter waiter = it.next();
      boolean deploy = waiter.kind == OperationKind.DEPLOY;
      if (deploy && deploys >= maxDeploys) {
        continue;
      }
      it.remove();
      running++;
      if (deploy) {
        deploys++;
      }
      waiter.permit = new LanePermit(this, waiter.kind);
      admitted.add(waiter);
    }
    return admitted;
  }

  private int maxRunning() {
    return limit(limits::maxRunning);
  }

  private int limit(ToIntFunction<String> limit) {
    return LaneLimits.atLeastOne(limit, host);
  }

  private static final class Waiter {
    final OperationKind kind;
    final MonoSink<LanePermit> sink;
    // written under the lane's monitor, read after it is left by the thread that wrote it
    @Nullable LanePermit permit;

    Waiter(OperationKind kind, MonoSink<LanePermit> sink) {
      this.kind = kind;
      this.sink = sink;
    }

    void grant() {
      sink.success(permit);
    }
  }
}
