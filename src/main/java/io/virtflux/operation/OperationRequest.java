package io.virtflux.operation;

import org.jspecify.annotations.Nullable;

/**
 * A request to run an operation.
 *
 * @param idempotencyKey when set, a repeated request with the same key (and principal) returns the
 *     operation created the first time
 * @param principal who asked (token name)
 */
public record OperationRequest(
    OperationKind kind,
    OperationTarget target,
    @Nullable String idempotencyKey,
    String principal) {}
