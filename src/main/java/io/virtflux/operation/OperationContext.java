package io.virtflux.operation;

import java.util.Map;
import reactor.core.publisher.Mono;

/** What running work may tell the pipeline while it runs. */
public interface OperationContext {

  String operationId();

  /**
   * Replaces the operation's progress and publishes a progress event. Ignored once the operation
   * has ended.
   */
  void progress(Map<String, Object> progress);

  /**
   * Registers how to stop the work early (libvirt abortJob for a migration). It is called when a
   * client cancels a RUNNING operation of an {@linkplain OperationKind#abortable() abortable} kind,
   * and when the operation times out. The operation ends once the work's Mono ends; if the work
   * registered no hook, cancelling it cancels the work's Mono instead.
   */
  void onAbort(Abort abort);

  /** A way to stop running work; its Mono completes once the stop was requested. */
  @FunctionalInterface
  interface Abort {
    Mono<Void> abort();
  }
}
