package io.virtflux.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * One subscription to {@code /api/v1/events?type=operation} that completes a future per operation
 * when its terminal event (SUCCEEDED, FAILED, CANCELLED) arrives: the client side of "HTTP submit →
 * … → terminal SSE event".
 */
final class OperationWatch implements AutoCloseable {

  /** A terminal event: when it arrived (System.nanoTime) and the operation's JSON. */
  record Terminal(long arrivedNanos, String json) {
    boolean succeeded() {
      return json.contains("\"phase\":\"SUCCEEDED\"");
    }
  }

  private final ConcurrentHashMap<String, CompletableFuture<Terminal>> terminals =
      new ConcurrentHashMap<>();
  private final CountDownLatch connected = new CountDownLatch(1);
  private volatile Disposable subscription;
  private final ServiceClient client;
  private volatile long lastId = -1;
  private volatile boolean closed;

  OperationWatch(ServiceClient client) throws InterruptedException {
    this.client = client;
    connect();
    if (!connected.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the event stream never said :connected");
    }
  }

  /** Subscribes, after an overflow with Last-Event-ID, as a client of the service should. */
  private void connect() {
    SseParser parser =
        new SseParser(
            new SseParser.Listener() {
              @Override
              public void event(long id, String event, String data) {
                if ("overflow".equals(event)) {
                  reconnect();
                } else {
                  if (id >= 0) {
                    lastId = id;
                  }
                  onEvent(data);
                }
              }

              @Override
              public void comment(String text) {
                if (text.startsWith("connected")) {
                  connected.countDown();
                }
              }
            },
            true);
    String path = "/api/v1/events?type=operation";
    subscription =
        client.stream(lastId < 0 ? path : path + "&lastEventId=" + lastId).subscribe(parser::feed);
  }

  private synchronized void reconnect() {
    if (!closed) {
      subscription.dispose();
      connect();
    }
  }

  private void onEvent(String data) {
    long now = System.nanoTime();
    if (data == null
        || !(data.contains("\"phase\":\"SUCCEEDED\"")
            || data.contains("\"phase\":\"FAILED\"")
            || data.contains("\"phase\":\"CANCELLED\""))) {
      return;
    }
    int start = data.indexOf("\"id\":\"") + 6;
    String id = data.substring(start, data.indexOf('"', start));
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
  public synchronized void close() {
    closed = true;
    subscription.dispose();
  }
}
