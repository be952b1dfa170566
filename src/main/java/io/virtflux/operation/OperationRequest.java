package io.virtflux.operation;

import io.virtflux.api.IdempotencyKey;
import org.jspecify.annotations.Nullable;

/**
 * A request to run an operation.
 *
 * @param idempotencyKey when set, a repeated request with the same key and fingerprint (and
 *     principal), within {@code virtflux.operations.idempotency-key-ttl}, returns the operation
 *     created the first time; the same key with another fingerprint is refused (422)
 * @param principal who asked (token name)
 */
public record OperationRequest(
    OperationKind kind,
    OperationTarget target,
    @Nullable IdempotencyKey idempotencyKey,
    String principal) {}
