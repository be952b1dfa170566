package io.virtflux.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An accepted operation that this process queues or runs: the context its work sees, and the handle
 * that cancel and abort use.
 */
final class RunningOperation implements OperationContext {

  private static final Logger log = LoggerFactory.getLogger(RunningOperation.class);

  private final String id;
  private final HostOwnership.Fence fence;
  private final Consumer<Map<String, Object>> progressSink;
  private final Disposable.Swap pipeline = Disposables.swap();
  private final Sinks.Empty<Void> stop = Sinks.empty();
  private final Sinks.Empty<Void> ended = Sinks.empty();
  // guarded by this: a hook registered while an abort is requested must still fire exactly once
  private final List<Abort> aborts = new ArrayList<>();
  private @Nullable String abortRequestedBy;

  RunningOperation(
      String id, HostOwnership.Fence fence, Consumer<Map<String, Object>> progressSink) {
    this.id = id;
    this.fence = fence;
    this.progressSink = progressSink;
  }

  /**
   * The ownership of the operation's first host under which this replica runs it: its journal
   * writes are fenced with it.
   */
  HostOwnership.Fence fence() {
    return fence;
  }

  @Override
  public String operationId() {
    return id;
  }

  @Override
  public void progress(Map<String, Object> progress) {
    progressSink.accept(progress);
  }

  @Override
  public void onAbort(Abort abort) {
    boolean requested;
    synchronized (this) {
      aborts.add(abort);
      requested = abortRequestedBy != null;
    }
    if (requested) {
      fire(abort);
    }
  }

  /** Asks the work to stop; work that registered no hook has its Mono cancelled instead. */
  void requestAbort(String by) {
    List<Abort> hooks;
    synchronized (this) {
      if (abortRequestedBy != null) {
        return;
      }
      abortRequestedBy = by;
      hooks = List.copyOf(aborts);
    }
    if (hooks.isEmpty()) {
      stop.tryEmitEmpty();
    } else {
      hooks.forEach(this::fire);
    }
  }

  /** The timeout cancels the work's Mono; this also stops what that cannot (a blocked call). */
  void abortAfterTimeout() {
    List<Abort> hooks;
    synchronized (this) {
      hooks = List.copyOf(aborts);
    }
    hooks.forEach(this::fire);
  }

  synchronized @Nullable String abortRequestedBy() {
    return abortRequestedBy;
  }

  /** Completes when the work is to be cancelled without a hook. */
  Mono<Void> stopped() {
    return stop.asMono();
  }

  /** Keeps the subscription of the lanes-and-work pipeline, for {@link #cancelQueued()}. */
  void attach(Disposable subscription) {
    pipeline.update(subscription);
  }

  /** Leaves the lane queues (the journal already says CANCELLED). */
  void cancelQueued() {
    pipeline.dispose();
  }

  /**
   * Drops the pipeline, work included, without journaling anything more: the journal keeps saying
   * RUNNING, for the next start to reconcile with the host. What a graceful stop does with the
   * operations that outlast its drain. A libvirt call in progress is not interrupted; it ends when
   * the service closes its connections.
   */
  void abandon() {
    pipeline.dispose();
  }

  /** Completes once the pipeline ended: the end journaled, or the pipeline dropped. */
  Mono<Void> ended() {
    return ended.asMono();
  }

  void pipelineEnded() {
    ended.tryEmitEmpty();
  }

  private void fire(Abort abort) {
    Mono.defer(abort::abort)
        .subscribe(null, error -> log.warn("abort of operation {} failed", id, error));
  }
}
