package io.virtflux.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One subscription to {@code /api/v1/events?type=operation} that completes a future per operation
 * when its terminal event (SUCCEEDED, FAILED, CANCELLED) arrives: the client side of "HTTP submit →
 * … → terminal SSE event".
 */
final class OperationWatch implements AutoCloseable {

  /** A terminal event: when it arrived (System.nanoTime) and the operation's JSON. */
  record Terminal(long arrivedNanos, String json) {
    boolean succeeded() {
      return "SUCCEEDED".equals(JsonFields.string(json, "phase"));
    }
  }

  private final ConcurrentHashMap<String, CompletableFuture<Terminal>> terminals =
      new ConcurrentHashMap<>();
  private final EventStream stream;

  OperationWatch(ServiceClient client) throws InterruptedException {
    stream =
        new EventStream(
            client, "/api/v1/events?type=operation", true, (id, type, data) -> onEvent(data));
    stream.awaitConnected(Duration.ofSeconds(30));
  }

  private void onEvent(String data) {
    long now = System.nanoTime();
    String phase = data == null ? null : JsonFields.string(data, "phase");
    if (!"SUCCEEDED".equals(phase) && !"FAILED".equals(phase) && !"CANCELLED".equals(phase)) {
      return;
    }
    String id = JsonFields.string(data, "id");
    terminals.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(new Terminal(now, data));
  }

  /** Completes with the operation's terminal event (already arrived or still to come). */
  CompletableFuture<Terminal> terminal(String operationId) {
    return terminals.computeIfAbsent(operationId, k -> new CompletableFuture<>());
  }

  Terminal await(String operationId, Duration limit) throws Exception {
    return terminal(operationId).get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Forgets finished operations, so a long run doesn't keep every event. */
  void forget(String operationId) {
    terminals.remove(operationId);
  }

  @Override
  public void close() {
    stream.close();
  }
}
