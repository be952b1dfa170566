package io.virtflux.operation;

import io.virtflux.api.IdempotencyKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** The port every mutating feature uses: nothing touches a host except through an operation. */
public interface Operations {

  /**
   * Submits {@code command}: answers a repeated request (same idempotency key and fingerprint) with
   * its first operation; refuses it (409) while an operation of a kind its handler declares
   * conflicting is queued or running on the VM; runs its handler's check (a problem refuses it);
   * then journals the command with the QUEUED operation (before this Mono completes, so before any
   * 202 goes out) and schedules it on the lanes of its target's hosts. Emits the QUEUED operation,
   * or the existing one when the principal sent the idempotency key with the same request
   * (fingerprint) within {@code virtflux.operations.idempotency-key-ttl}: a 422 problem naming the
   * key when it came with another request. When the lanes admit it, the command is read back from
   * the journal, checked again and run by its handler, in this process or in the next one if this
   * one stops first.
   */
  Mono<Operation> submit(Command command, @Nullable IdempotencyKey key, String principal);

  /**
   * As {@link #submit(Command, IdempotencyKey, String)}, for a DEPLOY that takes {@code memory} on
   * its host: journaled with it, so that every replica counts it ({@link PromisedMemory}). With
   * several replicas a placed one is refused with {@link NoMemory} (nothing queued) when the memory
   * every replica promised on the host leaves less, counted in the write that would journal it.
   */
  Mono<Operation> submit(
      Command command, @Nullable IdempotencyKey key, String principal, MemoryClaim memory);

  /**
   * The operation an earlier request with the same idempotency key (and principal) created, or
   * empty (also once the key has expired). Lets a feature answer a repeated request before checks
   * that the first one's effect would now fail (a deploy's "name taken"). A 422 problem when the
   * key came with another request.
   */
  Mono<Operation> earlier(OperationRequest request);
}
