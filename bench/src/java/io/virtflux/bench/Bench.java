package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark harness: runs the scenarios, each with its baseline in the same run, and writes
 * {@code <results>/<date>-<scenario>.json} plus {@code <results>/<date>.md} ({@code
 * <date>-<scenarios>-only.md} for some); a run of every scenario at full size also rewrites the
 * README's "Performance" table.
 *
 * <pre>
 *   Bench [--smoke] [--results DIR] [--readme FILE] [scenario ...]
 * </pre>
 *
 * Scenarios: overhead (on both journal stores, H2 and PostgreSQL), journal-read, hosts,
 * subscribers, real-vms, footprint, keep-alive, http-floor (all when none is named).
 */
public final class Bench {

  static final String README_BEGIN = "<!-- bench:begin -->";
  static final String README_END = "<!-- bench:end -->";

  private Bench() {}

  static List<Scenario> all() {
    return List.of(
        new OverheadScenario(),
        new JournalReadScenario(),
        new ManyHostsScenario(),
        new SubscribersScenario(),
        new RealVmsScenario(),
        new FootprintScenario(),
        new KeepAliveScenario(),
        new HttpFloorScenario());
  }

  public static void main(String[] args) throws Exception {
    BenchMode mode = BenchMode.FULL;
    Path repo = Path.of("").toAbsolutePath();
    Path results = null;
    Path readme = null;
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> mode = BenchMode.SMOKE;
        case "--results" -> results = Path.of(args[++i]);
        case "--readme" -> readme = Path.of(args[++i]);
        default -> wanted.add(args[i]);
      }
    }
    if (results == null) {
      results =
          mode == BenchMode.FULL
              ? repo.resolve("bench/results")
              : repo.resolve("target/bench-smoke");
    }
    List<ScenarioResult> done = run(mode, repo, results, wanted);
    // only a run of every scenario replaces the README's table: a partial one would drop the rest
    if (readme != null && mode == BenchMode.FULL && wanted.isEmpty()) {
      updateReadme(readme, done);
    }
    List<String> missed = new ArrayList<>();
    for (ScenarioResult r : done) {
      r.failedGoals().forEach(goal -> missed.add(r.id + ": " + goal));
    }
    if (!missed.isEmpty()) {
      System.out.println("goals missed:\n  " + String.join("\n  ", missed));
    }
    System.exit(missed.isEmpty() || mode == BenchMode.SMOKE ? 0 : 2);
  }

  /** Runs the wanted scenarios (all when empty) and writes their results. */
  static List<ScenarioResult> run(BenchMode mode, Path repo, Path results, List<String> wanted)
      throws Exception {
    Files.createDirectories(results);
    Path work = Files.createTempDirectory("virtflux-bench-");
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    Map<String, Object> machine;
    List<ScenarioResult> done = new ArrayList<>();
    // closing the context stops the PostgreSQL server if a scenario had the bench start it
    try (BenchContext ctx = new BenchContext(mode, repo, work, System.getenv())) {
      machine = Machine.describe(ctx);
      for (Scenario scenario : all()) {
        if (!wanted.isEmpty() && !wanted.contains(scenario.id())) {
          continue;
        }
        System.out.printf("== %s (%s)%n", scenario.title(), mode);
        long start = System.nanoTime();
        ScenarioResult result = scenario.run(ctx);
        result.elapsedMs = (System.nanoTime() - start) / 1_000_000;
        done.add(result);
        Files.writeString(
            results.resolve(date + "-" + scenario.id() + ".json"), json(result, mode, machine));
        System.out.println(table(List.of(result)));
        result.notes.forEach(n -> System.out.println("   " + n));
        System.out.printf("   (%.1f s)%n", result.elapsedMs / 1000.0);
      }
    }
    // the day's summary is the complete run's; a partial run's is named after its scenarios
    String summary = wanted.isEmpty() ? date : date + "-" + String.join("-", wanted) + "-only";
    Files.writeString(results.resolve(summary + ".md"), markdown(done, machine, mode));
    return done;
  }

  static String table(List<ScenarioResult> results) {
    StringBuilder out =
        new StringBuilder(
            "| scenario | metric | baseline | virtflux | ratio | goal | met |\n"
                + "|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      for (Metric m : r.metrics) {
        out.append(m.markdownRow(r.id)).append('\n');
      }
    }
    return out.toString();
  }

  static String markdown(
      List<ScenarioResult> results, Map<String, Object> machine, BenchMode mode) {
    StringBuilder out = new StringBuilder();
    out.append("Measured ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(mode == BenchMode.SMOKE ? " (smoke mode: sizes too small to mean anything)" : "")
        .append(" on ")
        .append(machine.get("summary"))
        .append(" with `dev/bench`.\n\n")
        .append(table(results));
    for (ScenarioResult r : results) {
      for (String note : r.notes) {
        out.append("\n- ").append(r.id).append(": ").append(note);
      }
    }
    return out.append('\n').toString();
  }

  private static String json(ScenarioResult r, BenchMode mode, Map<String, Object> machine) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", r.id);
    out.put("title", r.title);
    out.put("date", LocalDate.now(ZoneOffset.UTC).toString());
    out.put("mode", mode.name().toLowerCase());
    out.put("machine", machine);
    out.put("elapsedMs", r.elapsedMs);
    out.put("goalsMet", r.goalsMet());
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (Metric m : r.metrics) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("metric", m.name());
      if (!m.variant().isEmpty()) {
        row.put("variant", m.variant());
      }
      row.put("unit", m.unit());
      row.put("baseline", finite(m.baseline()));
      row.put("service", finite(m.service()));
      row.put("ratio", finite(m.ratio()));
      row.put("goal", m.goal().isEmpty() ? null : m.goal());
      row.put("met", m.met());
      metrics.add(row);
    }
    out.put("metrics", metrics);
    out.put("details", r.details);
    out.put("notes", r.notes);
    return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(out)
        + "\n";
  }

  private static Object finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Samples.round(v);
  }

  private static void updateReadme(Path readme, List<ScenarioResult> results) throws IOException {
    String text = Files.readString(readme);
    int begin = text.indexOf(README_BEGIN);
    int end = text.indexOf(README_END);
    if (begin < 0 || end < begin) {
      System.out.println("README has no " + README_BEGIN + " … " + README_END + "; left alone");
      return;
    }
    Map<String, Object> machine = Machine.describe(null);
    String table = markdown(results, machine, BenchMode.FULL);
    Files.writeString(
        readme,
        text.substring(0, begin + README_BEGIN.length()) + "\n" + table + text.substring(end));
  }
}
