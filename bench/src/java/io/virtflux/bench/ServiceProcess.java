package io.virtflux.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as it is deployed: {@code target/virtflux.jar} in its own JVM, with a generated
 * config file (hosts, journal, an admin token), on a free loopback port. Its RSS is read from
 * /proc, so the footprint scenario measures exactly what an operator would see.
 */
final class ServiceProcess implements AutoCloseable {

  final String token;
  final int port;
  final Path log;
  final long startedNanos;
  private final Process process;

  private ServiceProcess(String token, int port, Path log, long startedNanos, Process process) {
    this.token = token;
    this.port = port;
    this.log = log;
    this.startedNanos = startedNanos;
    this.process = process;
  }

  /**
   * Starts the service with {@code yaml} (the {@code virtflux:} settings, without the token and
   * journal, which are added here) and waits until it is ready.
   */
  static ServiceProcess start(BenchContext ctx, String name, String yaml) throws Exception {
    return start(ctx, name, yaml, List.of());
  }

  /**
   * As {@link #start(BenchContext, String, String)}, with more command-line arguments, such as the
   * journal's PostgreSQL URLs (they take precedence over the H2 file the config names).
   */
  static ServiceProcess start(BenchContext ctx, String name, String yaml, List<String> arguments)
      throws Exception {
    Path dir = ctx.dir("service-" + name);
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    int port = freePort();
    Path config = dir.resolve("bench.yml");
    Files.writeString(
        config,
        yaml
            + "\n"
            // the scenarios measure the service at full load from one token: no per-token limits
            + "  limits:\n    event-streams-per-token: 5000\n    submissions-per-second: 1000000\n"
            + "  journal:\n    path: "
            + dir.resolve("journal")
            + "\n"
            + "  security:\n    tokens:\n      - name: bench\n        role: admin\n"
            + "        sha256: "
            + sha256(token)
            + "\n");
    List<String> command = new ArrayList<>(ServiceJvm.command(ctx));
    command.addAll(
        List.of(
            "--spring.config.additional-location=file:" + config,
            "--server.address=127.0.0.1",
            "--server.port=" + port));
    command.addAll(arguments);
    Path log = dir.resolve("service.log");
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServiceProcess service = new ServiceProcess(token, port, log, started, process);
    service.awaitReady(Duration.ofSeconds(60));
    return service;
  }

  /** Seconds from the process start to its first ready answer. */
  double startupSeconds;

  private void awaitReady(Duration limit) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + "; see " + log + ":\n" + tail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          startupSeconds = (System.nanoTime() - startedNanos) / 1e9;
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the service was not ready within " + limit + ":\n" + tail());
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size in MiB, from /proc/PID/status (VmRSS). */
  double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** The "Started … in X seconds" time Spring Boot logged, or NaN. */
  double springStartedSeconds() throws IOException {
    var matcher =
        java.util.regex.Pattern.compile("Started \\S+ in ([0-9.]+) seconds")
            .matcher(Files.readString(log));
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  ServiceClient client() {
    return new ServiceClient(port, token);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket =
        new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  static String sha256(String token) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
