package io.virtflux.operation;

import reactor.core.publisher.Mono;

/**
 * The body of an operation, started once its lanes admit it. The value it emits becomes the
 * operation's {@code result} (serialised as JSON); an error becomes its {@code error} problem: an
 * {@link org.springframework.web.ErrorResponse} keeps its problem body, anything else is an
 * internal error.
 */
@FunctionalInterface
public interface OperationWork {

  Mono<?> run(OperationContext context);
}
