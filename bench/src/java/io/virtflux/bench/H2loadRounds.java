package io.virtflux.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rounds of {@code h2load --h1} (Debian's nghttp2-client), a native HTTP/1.1 load generator with
 * keep-alive connections, each round given a deadline. A round that misses it is a stall: h2load
 * waits forever for an answer the server never writes. For such a round the server's side of the
 * connections is kept ({@code ss}: a Recv-Q above 0 is a request the server never read).
 */
final class H2loadRounds {

  /** What one h2load run reported, or where it stood when its deadline passed. */
  record Round(
      int number,
      boolean completed,
      double seconds,
      int done,
      double requestsPerSecond,
      String ss,
      int answered2xx) {}

  private static final Pattern FINISHED =
      Pattern.compile("finished in ([0-9.]+)(ms|s), ([0-9.]+) req/s");
  private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx");
  private static final Pattern DONE =
      Pattern.compile("requests: \\d+ total, \\d+ started, (\\d+) done");

  private final int connections;
  private final int inFlight;
  private final int requests;
  private final Duration deadline;
  private final Path logs;
  private final List<String> headers;

  /**
   * @param inFlight requests sent on a connection before its first answer arrives: 1, or more for
   *     HTTP/1.1 pipelining (h2load's {@code -m})
   */
  H2loadRounds(int connections, int inFlight, int requests, Duration deadline, Path logs) {
    this(connections, inFlight, requests, deadline, logs, List.of());
  }

  /** With {@code headers} ({@code "Name: value"}) sent on every request. */
  H2loadRounds(
      int connections,
      int inFlight,
      int requests,
      Duration deadline,
      Path logs,
      List<String> headers) {
    this.connections = connections;
    this.inFlight = inFlight;
    this.requests = requests;
    this.deadline = deadline;
    this.logs = logs;
    this.headers = List.copyOf(headers);
  }

  /** Whether h2load is on the PATH; dev/lab setup installs it (nghttp2-client). */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** {@code count} rounds against {@code url}, one after the other. */
  List<Round> run(String url, int port, int count) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    List<Round> rounds = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      rounds.add(round(i, url, port));
    }
    return rounds;
  }

  private Round round(int number, String url, int port) throws IOException, InterruptedException {
    Path out = logs.resolve("round-" + number + ".txt");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "h2load",
            "--h1",
            "-c",
            Integer.toString(connections),
            "-m",
            Integer.toString(inFlight),
            "-n",
            Integer.toString(requests)));
    for (String header : headers) {
      command.add("-H");
      command.add(header);
    }
    command.add(url);
    Process h2load =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long start = System.nanoTime();
    boolean completed = h2load.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    String ss = "";
    if (!completed) {
      // the server's side of the connections still open, before h2load's exit closes them
      ss = serverSockets(port);
      h2load.destroy();
      if (!h2load.waitFor(10, TimeUnit.SECONDS)) {
        h2load.destroyForcibly();
      }
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Matcher finished = FINISHED.matcher(text);
    Matcher done = DONE.matcher(text);
    boolean ok = completed && h2load.exitValue() == 0 && finished.find();
    double rate = ok ? Double.parseDouble(finished.group(3)) : Double.NaN;
    int answered = done.find() ? Integer.parseInt(done.group(1)) : -1;
    Matcher status = STATUS.matcher(text);
    int ok2xx = status.find() ? Integer.parseInt(status.group(1)) : -1;
    return new Round(number, ok, seconds, answered, rate, ss, ok2xx);
  }

  /** {@code ss -tni} of the established connections to the port (Recv-Q: unread bytes). */
  private static String serverSockets(int port) {
    try {
      Process ss =
          new ProcessBuilder("ss", "-tni", "state", "established", "( sport = :" + port + " )")
              .redirectErrorStream(true)
              .start();
      String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ss.waitFor(10, TimeUnit.SECONDS);
      return text;
    } catch (IOException | InterruptedException e) {
      return "(ss failed: " + e.getMessage() + ")";
    }
  }
}
