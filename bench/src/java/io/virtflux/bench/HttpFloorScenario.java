package io.virtflux.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The HTTP floor: how many of its cheapest authenticated GETs the service answers per second,
 * against a bare Reactor Netty server (the service's own HTTP stack, without Spring) answering the
 * same path with the same status, content type and body, under the same native load generator
 * ({@code h2load --h1}, 32 keep-alive connections) in the same run. Also the liveness probe, which
 * needs no token, against the same bare server. Every other throughput goal is a fraction of what
 * this floor allows.
 */
final class HttpFloorScenario implements Scenario {

  static final String AUTHENTICATED = "/api/v1/hosts";
  static final String LIVENESS = "/actuator/health/liveness";
  static final int CONNECTIONS = 32;

  @Override
  public String id() {
    return "http-floor";
  }

  @Override
  public String title() {
    return "HTTP floor: the cheapest authenticated GET vs a bare Reactor Netty server (h2load)";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    ScenarioResult result = new ScenarioResult(id(), title());
    if (!H2loadRounds.available()) {
      return result.note(
          "skipped: h2load is not installed (nghttp2-client; dev/lab setup adds it)");
    }
    int rounds = ctx.mode.size(3, 1);
    int requests = ctx.mode.size(20_000, 500);
    String yaml = "virtflux:\n  datastores: " + ctx.dir("http-floor-ds") + "\n  hosts: []\n";
    Map<String, Double> service = new LinkedHashMap<>();
    Map<String, Double> bare = new LinkedHashMap<>();
    try (ServiceProcess process = ServiceProcess.start(ctx, id(), yaml)) {
      List<String> auth = List.of("Authorization: Bearer " + process.token);
      Answer hosts = answer(process.port, AUTHENTICATED, process.token);
      Answer liveness = answer(process.port, LIVENESS, null);
      for (int round = 0; round < rounds; round++) {
        // alternating, so that neither side always runs on a warmer or cooler machine
        service.merge(
            AUTHENTICATED,
            rate(ctx, "service-hosts", process.port, AUTHENTICATED, auth, requests),
            Double::sum);
        service.merge(
            LIVENESS,
            rate(ctx, "service-liveness", process.port, LIVENESS, List.of(), requests),
            Double::sum);
        DisposableServer server = bareServer(Map.of(AUTHENTICATED, hosts, LIVENESS, liveness));
        try {
          bare.merge(
              AUTHENTICATED,
              rate(ctx, "bare-hosts", server.port(), AUTHENTICATED, auth, requests),
              Double::sum);
          bare.merge(
              LIVENESS,
              rate(ctx, "bare-liveness", server.port(), LIVENESS, List.of(), requests),
              Double::sum);
        } finally {
          server.disposeNow();
        }
      }
      result.detail(
          "answers", Map.of(AUTHENTICATED, hosts.describe(), LIVENESS, liveness.describe()));
    }
    double hostsRatio = service.get(AUTHENTICATED) / bare.get(AUTHENTICATED);
    result.add(
        Metric.check(
            "authenticated GET " + AUTHENTICATED + " vs bare Reactor Netty",
            "req/s",
            bare.get(AUTHENTICATED) / rounds,
            service.get(AUTHENTICATED) / rounds,
            "≥ 0.5×",
            hostsRatio >= 0.5));
    result.add(
        Metric.info(
            "GET " + LIVENESS + " vs bare Reactor Netty",
            "req/s",
            bare.get(LIVENESS) / rounds,
            service.get(LIVENESS) / rounds));
    result.note(
        "h2load --h1 -c "
            + CONNECTIONS
            + " -n "
            + requests
            + ", "
            + rounds
            + " round(s) each, means; the bare server is the service's own Reactor Netty,"
            + " answering each path with the service's own status, content"
            + " type and body, without Spring, security, routing or metrics; the authenticated"
            + " GET carries the same bearer token to both (the bare server ignores it)");
    return result;
  }

  /** The service's answer to one GET: what the bare server repeats. */
  private record Answer(int status, String contentType, byte[] body) {
    Map<String, Object> describe() {
      return Map.of("status", status, "contentType", contentType, "bytes", body.length);
    }
  }

  private static Answer answer(int port, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse("application/json"),
        response.body());
  }

  private static DisposableServer bareServer(Map<String, Answer> answers) {
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .route(
            routes -> {
              for (Map.Entry<String, Answer> a : answers.entrySet()) {
                Answer answer = a.getValue();
                routes.get(
                    a.getKey(),
                    (request, response) ->
                        response
                            .status(answer.status())
                            .header("Content-Type", answer.contentType())
                            .header("Content-Length", Integer.toString(answer.body().length))
                            .sendByteArray(Mono.just(answer.body())));
              }
            })
        .bindNow();
  }

  /** Requests per second of one h2load run, which must be answered 2xx throughout. */
  private static double rate(
      BenchContext ctx, String name, int port, String path, List<String> headers, int requests)
      throws Exception {
    H2loadRounds run =
        new H2loadRounds(
            CONNECTIONS,
            1,
            requests,
            Duration.ofSeconds(120),
            ctx.dir("http-floor-" + name),
            headers);
    H2loadRounds.Round round = run.run("http://127.0.0.1:" + port + path, port, 1).get(0);
    if (!round.completed() || round.answered2xx() != requests) {
      throw new IllegalStateException(
          name + ": h2load did not get " + requests + " 2xx answers: " + round);
    }
    return round.requestsPerSecond();
  }
}
