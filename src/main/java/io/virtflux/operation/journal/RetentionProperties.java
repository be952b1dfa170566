package io.virtflux.operation.journal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.journal.retention.*}: how much history the journal keeps ({@link
 * JournalRetention}). Operations that have not finished are always kept, whatever their age.
 *
 * @param enabled false keeps everything forever (the journal then grows without bound)
 * @param maxAge finished operations (with their events) that ended longer ago, and VM and host
 *     events older than this, are deleted
 * @param maxOperations beyond this many operations in the journal, the finished ones that ended
 *     first are deleted (with their events)
 * @param interval how often retention looks for what to delete
 * @param batchSize the most operations (and, apart, VM and host events) one delete transaction
 *     takes: the journal's other writes wait for one batch at most, never for a whole clean-up
 */
@ConfigurationProperties("virtflux.journal.retention")
public record RetentionProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("7d") Duration maxAge,
    @DefaultValue("100000") int maxOperations,
    @DefaultValue("1m") Duration interval,
    @DefaultValue("500") int batchSize) {

  public RetentionProperties {
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("virtflux.journal.retention.max-age must be positive");
    }
    if (maxOperations < 1) {
      throw new IllegalArgumentException("virtflux.journal.retention.max-operations must be >= 1");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("virtflux.journal.retention.interval must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("virtflux.journal.retention.batch-size must be >= 1");
    }
  }
}
