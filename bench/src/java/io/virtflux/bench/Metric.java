package io.virtflux.bench;

import java.util.Locale;

/**
 * One row of a scenario's table: what was measured for the baseline and for the service, their
 * ratio, and the goal it is checked against.
 *
 * @param name what is measured, e.g. "latency p50"
 * @param unit ms, ops/s, MiB, s, events, …
 * @param baseline the baseline's figure (NaN when the row has none)
 * @param service virtflux's figure
 * @param ratio service / baseline as the goal reads it (NaN when none)
 * @param goal the goal in words, e.g. "≤ 2 ms added"
 * @param met whether the goal holds; null for rows that only inform
 * @param variant what the scenario ran on when it runs on several, e.g. the journal's store ("h2",
 *     "postgres"); the table names the row's scenario "overhead (h2)". Empty when none.
 */
record Metric(
    String name,
    String unit,
    double baseline,
    double service,
    double ratio,
    String goal,
    Boolean met,
    String variant) {

  static Metric info(String name, String unit, double baseline, double service) {
    return new Metric(name, unit, baseline, service, ratioOf(service, baseline), "", null, "");
  }

  static Metric check(
      String name, String unit, double baseline, double service, String goal, boolean met) {
    return new Metric(name, unit, baseline, service, ratioOf(service, baseline), goal, met, "");
  }

  static double ratioOf(double service, double baseline) {
    return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : service / baseline;
  }

  /** This row as it runs on {@code variant}. */
  Metric on(String variant) {
    return new Metric(name, unit, baseline, service, ratio, goal, met, variant);
  }

  String markdownRow(String scenario) {
    return "| "
        + scenario
        + (variant.isEmpty() ? "" : " (" + variant + ")")
        + " | "
        + name
        + " | "
        + format(baseline)
        + " | "
        + format(service)
        + " | "
        + (Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f×", ratio))
        + " | "
        + goal
        + " | "
        + (met == null ? "" : met ? "yes" : "**no**")
        + " |";
  }

  private String format(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    String number =
        Math.abs(v) >= 100 || v == Math.rint(v)
            ? String.format(Locale.ROOT, "%,.0f", v)
            : String.format(Locale.ROOT, "%.2f", v);
    return number + " " + unit;
  }
}
