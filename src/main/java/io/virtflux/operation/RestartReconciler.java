package io.virtflux.operation;

import reactor.core.publisher.Mono;

/**
 * Tells, after a restart, how an operation the previous process left RUNNING actually ended, by
 * asking the host (a deploy whose domain runs did succeed). Implemented by the features that know
 * what their operations leave behind; the pipeline itself knows no feature.
 */
public interface RestartReconciler {

  /**
   * What the host shows: the operation's effect is there ({@code done}) or not, and what was seen.
   */
  record Seen(boolean done, String observation) {}

  /** What the host shows for {@code running}; empty when this kind cannot be told from the host. */
  Mono<Seen> reconcile(Operation running);
}
