package io.virtflux.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Whether the pipeline still accepts and starts operations, and which ones it started: what a
 * graceful stop waits for. Open until the service begins to stop ({@link GracefulDrain}), then
 * closed for good.
 *
 * <p>An operation counts as started once its lanes admitted it, just before it is journaled
 * RUNNING. {@link #tryStart} registers it before it looks at the gate, and {@link #close} closes
 * the gate before it looks at what is registered: a start either sees the gate closed and backs out
 * (the operation stays QUEUED), or is among those the drain waits for. No start slips between.
 */
final class ShutdownGate {

  private final Set<RunningOperation> started = ConcurrentHashMap.newKeySet();
  // null while open; once closed, when the drain gives up on what still runs
  private volatile @Nullable Instant drainEnds;

  boolean closed() {
    return drainEnds != null;
  }

  /**
   * Seconds until the drain ends at the latest (at least 1): a client told to come back then finds
   * the next process starting, or another instance.
   */
  long retryAfterSeconds(Instant now) {
    Instant ends = drainEnds;
    if (ends == null || !ends.isAfter(now)) {
      return 1;
    }
    Duration left = Duration.between(now, ends);
    return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
  }

  /** Registers {@code operation} as started, or returns false (registering nothing) when closed. */
  boolean tryStart(RunningOperation operation) {
    started.add(operation);
    if (closed()) {
      started.remove(operation);
      return false;
    }
    return true;
  }

  /** Its pipeline ended: it ran to its journaled end, or was abandoned. */
  void ended(RunningOperation operation) {
    started.remove(operation);
  }

  /**
   * Closes the gate (later calls change nothing) and completes once every operation started before
   * ended.
   */
  Mono<Void> close(Instant drainEnds) {
    if (this.drainEnds == null) {
      this.drainEnds = drainEnds;
    }
    return Mono.when(started.stream().map(RunningOperation::ended).toList());
  }

  /** The operations started and not ended yet. */
  List<RunningOperation> stillStarted() {
    return List.copyOf(started);
  }
}
