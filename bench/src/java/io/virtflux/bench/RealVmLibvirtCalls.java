package io.virtflux.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's own account of its libvirt calls ({@code virtflux.libvirt.calls} on
 * /actuator/prometheus), read before and after an operation: which calls one operation made and how
 * long they took, to tell the service's bookkeeping apart from libvirt's work.
 */
final class RealVmLibvirtCalls {

  private static final Pattern LINE =
      Pattern.compile("^virtflux_libvirt_calls_seconds_(count|sum)\\{([^}]*)} (\\S+)$");
  private static final Pattern API = Pattern.compile("api=\"([^\"]+)\"");

  /** Calls and seconds so far, by gateway API (all hosts and outcomes). */
  record Totals(Map<String, double[]> byApi) {

    /** What happened between {@code before} and this. */
    Totals minus(Totals before) {
      Map<String, double[]> out = new HashMap<>();
      byApi.forEach(
          (api, now) -> {
            double[] then = before.byApi.getOrDefault(api, new double[2]);
            if (now[0] > then[0]) {
              out.put(api, new double[] {now[0] - then[0], now[1] - then[1]});
            }
          });
      return new Totals(out);
    }
  }

  private final Map<String, double[]> sum = new TreeMap<>();
  private int operations;

  /** Reads the counters now. */
  static Totals read(ServiceClient client) {
    ServiceClient.Response response = client.get("/actuator/prometheus").block();
    if (response == null || response.status() != 200) {
      throw new IllegalStateException("/actuator/prometheus answered " + response);
    }
    Map<String, double[]> byApi = new HashMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Matcher api = API.matcher(m.group(2));
      if (api.find()) {
        double[] totals = byApi.computeIfAbsent(api.group(1), k -> new double[2]);
        totals[m.group(1).equals("count") ? 0 : 1] += Double.parseDouble(m.group(3));
      }
    }
    return new Totals(byApi);
  }

  /** Adds one operation's calls. */
  void add(Totals delta) {
    operations++;
    delta.byApi.forEach(
        (api, d) -> {
          double[] s = sum.computeIfAbsent(api, k -> new double[2]);
          s[0] += d[0];
          s[1] += d[1];
        });
  }

  /** Per operation, by API: how many calls and how many milliseconds in them. */
  Map<String, Object> summary() {
    Map<String, Object> out = new TreeMap<>();
    sum.forEach(
        (api, s) ->
            out.put(
                api,
                Map.of(
                    "callsPerOp",
                    Samples.round(s[0] / operations),
                    "msPerOp",
                    Samples.round(s[1] * 1000 / operations))));
    return out;
  }
}
