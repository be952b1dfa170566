package io.virtflux.operation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The memory promised to deploys on each host as the shared journal counts it (several replicas):
 * the memory of the host's DEPLOYs that are QUEUED or RUNNING, and of those that SUCCEEDED after
 * the host's last reading began (that reading may miss their domain), whichever replica accepted
 * them. A view a moment stale: the journal checks it again when it takes a placed deploy ({@link
 * MemoryClaim}, {@link NoMemory}). Absent on an embedded journal, where one process promises
 * everything and keeps its promises in memory.
 */
public interface PromisedMemory {

  /**
   * Memory promised on {@code host} as last read, not yet counted by a reading that began at {@code
   * readingFrom} (null: the host was never read, every deploy that ended counts).
   */
  long promisedMiB(String host, @Nullable Instant readingFrom);

  /**
   * Reads the journal's promises again, those that ended after {@code since} included; completes
   * once the view has them. Never blocks the caller's thread.
   */
  Mono<Void> refresh(Instant since);
}
