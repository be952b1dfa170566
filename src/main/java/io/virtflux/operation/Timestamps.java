package io.virtflux.operation;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Instants at the journal's precision. Databases keep microseconds; truncating up front keeps an
 * event's snapshot equal to the row read back later.
 */
public final class Timestamps {

  private Timestamps() {}

  public static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
