package io.virtflux.operation.journal;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;

/**
 * What the tests of other packages may ask the journal's writer, which the service keeps to this
 * package: whether a write failure counted as the journal being unavailable.
 */
public final class JournalFailures {

  private JournalFailures() {}

  /** Why the journal's last write failed, or null when it succeeded: what readiness reports. */
  public static @Nullable String lastFailure(ApplicationContext context) {
    return context.getBean(JournalWriter.class).failure();
  }
}
