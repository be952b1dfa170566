package io.virtflux.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * One of the service's SSE streams, followed the way the API asks a client to: when the service
 * says {@code event: overflow} (the client fell too far behind), it reconnects with Last-Event-ID,
 * so the journal replays what it missed and nothing is lost, only late.
 */
final class EventStream implements AutoCloseable {

  /** Called once per event other than overflow, on a client event-loop thread. */
  @FunctionalInterface
  interface Handler {
    /**
     * @param id the event's id (-1 without one)
     * @param type the event's type
     * @param data its data line, or null when the stream was opened without data
     */
    void event(long id, String type, String data);
  }

  private final CountDownLatch connected = new CountDownLatch(1);
  private final ServiceClient client;
  private final String path;
  private final boolean withData;
  private final Handler handler;
  private volatile long lastId = -1;
  private volatile int reconnects;
  private boolean closed;
  private Disposable subscription;

  /** Subscribes to {@code path}; {@code withData} false skips decoding the data lines. */
  EventStream(ServiceClient client, String path, boolean withData, Handler handler) {
    this.client = client;
    this.path = path;
    this.withData = withData;
    this.handler = handler;
    connect(false);
  }

  /** Waits for the first {@code :connected} comment: no later event can be missed after it. */
  void awaitConnected(Duration limit) throws InterruptedException {
    if (!connected.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(path + " never said :connected");
    }
  }

  /** How often the service told this stream it overflowed. */
  int reconnects() {
    return reconnects;
  }

  private synchronized void connect(boolean resume) {
    if (closed) {
      return;
    }
    SseParser parser =
        new SseParser(
            new SseParser.Listener() {
              @Override
              public void event(long id, String type, String data) {
                if ("overflow".equals(type)) {
                  reconnect();
                  return;
                }
                if (id >= 0) {
                  lastId = id;
                }
                handler.event(id, type, data);
              }

              @Override
              public void comment(String text) {
                if (text.startsWith("connected")) {
                  connected.countDown();
                }
              }
            },
            withData);
    String query =
        resume
            ? path + (path.contains("?") ? "&" : "?") + "lastEventId=" + Math.max(0, lastId)
            : path;
    subscription = client.stream(query).subscribe(parser::feed);
  }

  private synchronized void reconnect() {
    if (!closed) {
      reconnects++;
      subscription.dispose();
      connect(true);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    subscription.dispose();
  }
}
