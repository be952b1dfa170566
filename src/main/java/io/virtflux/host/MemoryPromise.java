package io.virtflux.host;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Memory promised to one deploy on one host, from its acceptance until the host's readings count it
 * (see {@link MemoryPromises}). Thread-safe: its state changes under the ledger's lock.
 */
public final class MemoryPromise {

  private final MemoryPromises ledger;
  private final String host;
  private final long memoryMiB;
  private @Nullable Instant domainDefinedAt;
  private boolean ended;

  MemoryPromise(MemoryPromises ledger, String host, long memoryMiB) {
    this.ledger = ledger;
    this.host = host;
    this.memoryMiB = memoryMiB;
  }

  public String host() {
    return host;
  }

  public long memoryMiB() {
    return memoryMiB;
  }

  /**
   * The deploy's domain exists from now on: the promise is kept until a reading of the host that
   * began after now, which counts the domain itself.
   */
  public void domainDefined() {
    ledger.defined(this, Instant.now());
  }

  /**
   * The deploy ended (SUCCEEDED, FAILED, CANCELLED, or was never queued). Without a domain the
   * promise ends now; with one, when a later reading counts the domain. Calling it again does
   * nothing.
   */
  public void end() {
    ledger.ended(this);
  }

  // state below is read and written only under the ledger's lock

  void markDefined(Instant at) {
    domainDefinedAt = at;
  }

  void markEnded() {
    ended = true;
  }

  /** Whether the promise still holds memory, given the start of the host's last full reading. */
  boolean holds(@Nullable Instant lastReadingFrom) {
    if (domainDefinedAt == null) {
      return !ended;
    }
    return lastReadingFrom == null || !lastReadingFrom.isAfter(domainDefinedAt);
  }
}
