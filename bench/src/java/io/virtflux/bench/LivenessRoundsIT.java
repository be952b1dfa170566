package io.virtflux.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No HTTP client waits forever (issue 16, item 4): rounds of {@code h2load --h1 -c 32 -n 2000}
 * against {@code /actuator/health/liveness} of the service as the image starts it (the built jar,
 * {@code docker/jvm.options}, native epoll), each finished within 20 s. Five rounds as a client
 * without pipelining sends them, five with two requests in flight per connection.
 *
 * <p>With Reactor Netty 1.3.6 a connection now and then stopped being read: a request sat unread in
 * the service's socket (Recv-Q 100) while every thread idled. Without pipelining that hit about one
 * round in fifteen on this 2-core machine; with two in flight every round, on all 32 connections.
 * Runs after {@code package}; needs h2load (nghttp2-client, which dev/lab setup installs).
 */
class LivenessRoundsIT {

  private static final int ROUNDS = 5;

  @Test
  void everyRoundOfKeepAliveRequestsIsAnswered() throws Exception {
    assertTrue(H2loadRounds.available(), "h2load is missing: run dev/lab setup (nghttp2-client)");
    Path repo = Path.of("").toAbsolutePath();
    Path work = Files.createTempDirectory("virtflux-liveness-rounds-");
    BenchContext ctx = new BenchContext(BenchMode.FULL, repo, work, Map.of());
    String yaml = "virtflux:\n  datastores: " + ctx.dir("ds") + "\n  hosts: []\n";
    List<String> stalled = new ArrayList<>();
    try (ServiceProcess service = ServiceProcess.start(ctx, "liveness-rounds", yaml)) {
      String url = "http://127.0.0.1:" + service.port + KeepAliveScenario.PATH;
      for (int inFlight : new int[] {1, 2}) {
        Path logs = ctx.dir("h2load-m" + inFlight);
        H2loadRounds h2load =
            new H2loadRounds(
                KeepAliveScenario.CONNECTIONS, inFlight, 2000, KeepAliveScenario.DEADLINE, logs);
        for (H2loadRounds.Round r : h2load.run(url, service.port, ROUNDS)) {
          if (!r.completed()) {
            stalled.add(
                inFlight
                    + " in flight, round "
                    + r.number()
                    + " (h2load's output in "
                    + logs
                    + "); the service's sockets:\n"
                    + r.ss());
          }
        }
      }
    }
    assertEquals(
        List.of(),
        stalled,
        stalled.size() + " of " + 2 * ROUNDS + " rounds did not finish within 20 s");
  }
}
