package io.virtflux.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service running on one journal store for the overhead scenario: its process, its event
 * subscription, and the latencies of the operations it was driven through, one at a time.
 */
final class StoreUnderTest implements AutoCloseable {

  final String store;
  final Samples service = new Samples();
  private final Samples accepted = new Samples();
  private final Samples queued = new Samples();
  private final Samples inLane = new Samples();
  private final Samples liveness = new Samples();
  private final Samples hostRead = new Samples();
  private final ServiceProcess process;
  private final OperationWatch watch;
  private final ServiceClient client;
  private final String host;
  private final String vm;

  private StoreUnderTest(
      String store, ServiceProcess process, OperationWatch watch, String host, String vm) {
    this.store = store;
    this.process = process;
    this.watch = watch;
    this.client = process.client();
    this.host = host;
    this.vm = vm;
  }

  /**
   * Starts the service on {@code hosts} (one test:/// host) with {@code journal} as its journal's
   * settings (none: the H2 file) and subscribes to its operation events.
   */
  static StoreUnderTest start(BenchContext ctx, TestHosts hosts, String store, List<String> journal)
      throws Exception {
    ServiceProcess process =
        ServiceProcess.start(
            ctx, "overhead-" + store, hosts.yaml(ctx.dir("overhead-ds-" + store)), journal);
    try {
      String host = hosts.names.get(0);
      return new StoreUnderTest(
          store, process, new OperationWatch(process.client()), host, TestHosts.vmOf(host));
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  /**
   * The floors under an operation: an HTTP round trip, and one with a token and a journal read
   * (kept when {@code record}).
   */
  void floors(boolean record) {
    long start = System.nanoTime();
    client.get("/actuator/health/liveness").block();
    long middle = System.nanoTime();
    client.get("/api/v1/hosts/" + host).block();
    if (record) {
      liveness.add(middle - start);
      hostRead.add(System.nanoTime() - middle);
    }
  }

  /** Suspends or resumes the VM and waits for the terminal event (timed when {@code record}). */
  void operate(boolean suspend, boolean record) throws Exception {
    String action = suspend ? "suspend" : "resume";
    long start = System.nanoTime();
    ServiceClient.Response response =
        client.post("/api/v1/vms/" + vm + "/actions/" + action, null).block();
    long answered = System.nanoTime();
    if (response == null || response.status() != 202) {
      throw new IllegalStateException(store + ": submission answered " + response);
    }
    OperationWatch.Terminal terminal = watch.await(response.id(), Duration.ofSeconds(30));
    if (!terminal.succeeded()) {
      throw new IllegalStateException(store + ": operation did not succeed: " + terminal.json());
    }
    watch.forget(response.id());
    if (record) {
      service.add(terminal.arrivedNanos() - start);
      accepted.add(answered - start);
      long created = JsonFields.epochNanos(terminal.json(), "createdAt");
      long started = JsonFields.epochNanos(terminal.json(), "startedAt");
      long finished = JsonFields.epochNanos(terminal.json(), "finishedAt");
      queued.add(started - created);
      inLane.add(finished - started);
    }
  }

  /**
   * The p50 and p99 (ms) of the service's own journal commits over the last minutes: its {@code
   * virtflux.journal.commit} timer, each a durable commit of one batch of writes.
   */
  double[] commitQuantiles() {
    ServiceClient.Response response = client.get("/actuator/prometheus").block();
    if (response == null || response.status() != 200) {
      throw new IllegalStateException(store + ": /actuator/prometheus answered " + response);
    }
    double[] quantiles = {Double.NaN, Double.NaN};
    Matcher m = COMMIT_QUANTILE.matcher(response.body());
    while (m.find()) {
      quantiles[m.group(1).equals("0.5") ? 0 : 1] = Double.parseDouble(m.group(2)) * 1000;
    }
    return quantiles;
  }

  private static final Pattern COMMIT_QUANTILE =
      Pattern.compile(
          "(?m)^virtflux_journal_commit_seconds\\{[^}]*quantile=\"(0\\.5|0\\.99)\"[^}]*\\} (\\S+)$");

  /** Every distribution, summarised for the JSON file. */
  Map<String, Object> details() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("httpFloorLiveness", liveness.summary());
    out.put("httpFloorAuthenticatedHostRead", hostRead.summary());
    out.put("service", service.summary());
    out.put("serviceSubmitTo202", accepted.summary());
    out.put("serviceCreatedToStarted", queued.summary());
    out.put("serviceStartedToFinished", inLane.summary());
    return out;
  }

  /** Where an operation's time goes, as p50s in ms, for a note. */
  String breakdown() {
    return String.format(
        Locale.ROOT,
        "%s: service p50s: submit → 202 %.1f ms, queued (created → started) %.1f ms, in the lane"
            + " (started → finished) %.1f ms; HTTP floor (liveness) %.1f ms",
        store,
        accepted.p50(),
        queued.p50(),
        inLane.p50(),
        liveness.p50());
  }

  @Override
  public void close() throws InterruptedException {
    watch.close();
    process.close();
  }
}
