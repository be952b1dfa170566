package io.virtflux.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Durations in nanoseconds, summarised as milliseconds (min, p50, p90, p99, max, mean). */
final class Samples {

  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized int size() {
    return size;
  }

  /** The q-quantile (0..1) in milliseconds, nearest rank. */
  synchronized double quantileMs(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
  }

  double p50() {
    return quantileMs(0.5);
  }

  double p99() {
    return quantileMs(0.99);
  }

  synchronized Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", size);
    if (size == 0) {
      return out;
    }
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    out.put("minMs", round(quantileMs(0)));
    out.put("p50Ms", round(quantileMs(0.5)));
    out.put("p90Ms", round(quantileMs(0.9)));
    out.put("p99Ms", round(quantileMs(0.99)));
    out.put("maxMs", round(quantileMs(1)));
    out.put("meanMs", round(sum / 1e6 / size));
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
