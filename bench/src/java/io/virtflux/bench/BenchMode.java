package io.virtflux.bench;

/**
 * How big a run is: {@link #FULL} is the documented benchmark ({@code dev/bench}); {@link #SMOKE}
 * runs every scenario at a size that takes seconds, so CI proves the harness still works.
 */
enum BenchMode {
  SMOKE,
  FULL;

  /** The full-size figure, or the smoke-size one. */
  int size(int full, int smoke) {
    return this == FULL ? full : smoke;
  }
}
