package io.virtflux.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a scenario measured: its table rows plus raw distributions and notes for the JSON file. */
final class ScenarioResult {

  final String id;
  final String title;
  final List<Metric> metrics = new ArrayList<>();
  final Map<String, Object> details = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  long elapsedMs;

  ScenarioResult(String id, String title) {
    this.id = id;
    this.title = title;
  }

  ScenarioResult add(Metric metric) {
    metrics.add(metric);
    return this;
  }

  ScenarioResult detail(String key, Object value) {
    details.put(key, value);
    return this;
  }

  ScenarioResult note(String note) {
    notes.add(note);
    return this;
  }

  boolean goalsMet() {
    return metrics.stream().allMatch(m -> m.met() == null || m.met());
  }

  List<String> failedGoals() {
    return metrics.stream()
        .filter(m -> Boolean.FALSE.equals(m.met()))
        .map(
            m ->
                m.name()
                    + (m.variant().isEmpty() ? "" : " on " + m.variant())
                    + " ("
                    + m.goal()
                    + ")")
        .toList();
  }
}
