package io.virtflux.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Scenario 6: keep-alive rounds. {@code h2load --h1 -c 32 -n 2000} against {@code
 * /actuator/health/liveness}, each round given 20 s: no HTTP client may wait forever (issue 16,
 * item 4). Reactor Netty 1.3.6 stopped reading a connection now and then, and its client waited
 * until killed. The baseline is the JDK's HTTP server answering the same bytes, with the same
 * client.
 */
final class KeepAliveScenario implements Scenario {

  static final String PATH = "/actuator/health/liveness";
  static final int CONNECTIONS = 32;
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @Override
  public String id() {
    return "keep-alive";
  }

  @Override
  public String title() {
    return "Keep-alive rounds (h2load, 32 connections, 20 s a round)";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    ScenarioResult result = new ScenarioResult(id(), title());
    if (!H2loadRounds.available()) {
      return result.note(
          "skipped: h2load is not installed (nghttp2-client; dev/lab setup adds it)");
    }
    int rounds = ctx.mode.size(20, 2);
    int requests = ctx.mode.size(2000, 200);
    H2loadRounds baselineRounds =
        new H2loadRounds(CONNECTIONS, 1, requests, DEADLINE, ctx.dir("keep-alive-baseline"));
    List<H2loadRounds.Round> baseline;
    HttpServer jdk = sameBytesServer();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    jdk.setExecutor(threads);
    jdk.start();
    try {
      int port = jdk.getAddress().getPort();
      baseline = baselineRounds.run("http://127.0.0.1:" + port + PATH, port, rounds);
    } finally {
      jdk.stop(0);
      threads.shutdownNow();
    }
    List<H2loadRounds.Round> service;
    String yaml = "virtflux:\n  datastores: " + ctx.dir("keep-alive-ds") + "\n  hosts: []\n";
    try (ServiceProcess process = ServiceProcess.start(ctx, id(), yaml)) {
      H2loadRounds serviceRounds =
          new H2loadRounds(CONNECTIONS, 1, requests, DEADLINE, ctx.dir("keep-alive-service"));
      service = serviceRounds.run("http://127.0.0.1:" + process.port + PATH, process.port, rounds);
    }
    long baselineDone = baseline.stream().filter(H2loadRounds.Round::completed).count();
    long serviceDone = service.stream().filter(H2loadRounds.Round::completed).count();
    result.add(
        Metric.check(
            "rounds of " + requests + " finished within " + DEADLINE.toSeconds() + " s",
            "rounds",
            baselineDone,
            serviceDone,
            "all " + rounds,
            serviceDone == rounds));
    result.add(
        Metric.info(
            "throughput, median round", "req/s", medianRate(baseline), medianRate(service)));
    result.detail("baseline", describe(baseline));
    result.detail("service", describe(service));
    for (H2loadRounds.Round r : service) {
      if (!r.completed()) {
        result.note("round " + r.number() + " stalled; the service's sockets:\n" + r.ss());
      }
    }
    return result;
  }

  /** Status, headers that matter and body as the service answers them, from the JDK's server. */
  private static HttpServer sameBytesServer() throws java.io.IOException {
    byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext(
        PATH,
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange
              .getResponseHeaders()
              .set("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    return server;
  }

  private static double medianRate(List<H2loadRounds.Round> rounds) {
    double[] rates =
        rounds.stream()
            .filter(H2loadRounds.Round::completed)
            .mapToDouble(H2loadRounds.Round::requestsPerSecond)
            .sorted()
            .toArray();
    return rates.length == 0 ? Double.NaN : rates[rates.length / 2];
  }

  private static List<Map<String, Object>> describe(List<H2loadRounds.Round> rounds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (H2loadRounds.Round r : rounds) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("round", r.number());
      row.put("completed", r.completed());
      row.put("seconds", Samples.round(r.seconds()));
      if (r.completed()) {
        row.put("requestsPerSecond", Samples.round(r.requestsPerSecond()));
      }
      out.add(row);
    }
    return out;
  }
}
