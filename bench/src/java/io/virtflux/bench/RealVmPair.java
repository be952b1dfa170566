package io.virtflux.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing timed on both sides, virsh (the baseline) and the service, with its table row: the
 * p50s, their ratio, and the goal that the service costs at most 10 % more than virsh.
 */
final class RealVmPair {

  static final double GOAL_RATIO = 1.1;
  static final String GOAL = "≤ 1.1×";

  final String name;
  final Samples virsh = new Samples();
  final Samples service = new Samples();

  RealVmPair(String name) {
    this.name = name;
  }

  /** The row checked against the goal. */
  Metric checked() {
    double ratio = Metric.ratioOf(service.p50(), virsh.p50());
    return Metric.check(name, "ms", virsh.p50(), service.p50(), GOAL, ratio <= GOAL_RATIO);
  }

  /** A row that only informs (a part of a checked step, or the return leg). */
  Metric info() {
    return Metric.info(name, "ms", virsh.p50(), service.p50());
  }

  Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("virsh", virsh.summary());
    out.put("service", service.summary());
    return out;
  }
}
