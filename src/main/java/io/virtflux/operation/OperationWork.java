package io.virtflux.operation;

import reactor.core.publisher.Mono;

/**
 * The body of an operation, started once its lanes admit it. The value it emits becomes the
 * operation's {@code result} (serialised as JSON); an error becomes its {@code error} problem: an
 * {@link org.springframework.web.ErrorResponse} keeps its problem body, anything else is an
 * internal error.
 */
@FunctionalInterface
interface OperationWork {

  Mono<?> run(OperationContext context);

  /**
   * Called once when the operation ends, whether this work ran or not (cancelled while QUEUED), and
   * at once when {@link Operations#submit} queues nothing (an earlier operation with the same
   * idempotency key, a refusal, a journal failure). Frees what the work was promised at submission,
   * such as a deploy's memory on its host.
   */
  default void ended() {}
}
