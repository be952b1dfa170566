package io.virtflux.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CI's guard against a rotting benchmark: every scenario of {@code dev/bench} at seconds-long sizes
 * (its goals are not checked, the sizes are too small to mean anything), writing its results where
 * a full run would. Runs after {@code package}, so the service jar exists.
 */
class BenchSmokeIT {

  @Test
  void everyScenarioRunsAndWritesItsResults() throws Exception {
    Path results = Path.of("target/bench-smoke");
    List<ScenarioResult> done =
        Bench.run(BenchMode.SMOKE, Path.of("").toAbsolutePath(), results, List.of());
    assertEquals(
        Bench.all().stream().map(Scenario::id).toList(),
        done.stream().map(r -> r.id).toList(),
        "every scenario ran");
    for (ScenarioResult r : done) {
      assertTrue(
          !r.metrics.isEmpty() || r.notes.stream().anyMatch(n -> n.startsWith("skipped")),
          r.id + " measured something");
      try (var files = Files.list(results)) {
        assertTrue(
            files.anyMatch(f -> f.getFileName().toString().endsWith("-" + r.id + ".json")),
            r.id + " wrote its JSON");
      }
    }
  }
}
