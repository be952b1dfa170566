package io.virtflux.bench;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import reactor.core.Disposable;

/**
 * One SSE subscriber of the subscribers scenario: records every event id it gets and when it got it
 * (System.nanoTime), nothing else, so that a thousand of them stay cheap.
 */
final class Subscriber implements AutoCloseable {

  final CountDownLatch connected = new CountDownLatch(1);
  private long[] ids = new long[16_384];
  private long[] arrivals = new long[16_384];
  private int count;
  private volatile boolean overflowed;
  private volatile int reconnects;
  private volatile Disposable subscription;
  private volatile boolean closed;
  private final ServiceClient client;
  private final String path;

  Subscriber(ServiceClient client, String path) {
    this.client = client;
    this.path = path;
    connect(null);
  }

  /**
   * Subscribes (again, after an overflow, with Last-Event-ID as the protocol asks: the journal
   * replays what it missed, so a slow subscriber is late but loses nothing).
   */
  private void connect(Long lastEventId) {
    SseParser parser =
        new SseParser(
            new SseParser.Listener() {
              @Override
              public void event(long id, String event, String data) {
                if ("overflow".equals(event)) {
                  overflowed = true;
                  reconnect();
                } else if (id >= 0) {
                  record(id);
                }
              }

              @Override
              public void comment(String text) {
                if (text.startsWith("connected")) {
                  connected.countDown();
                }
              }
            },
            false);
    String query =
        lastEventId == null
            ? path
            : path + (path.contains("?") ? "&" : "?") + "lastEventId=" + lastEventId;
    subscription = client.stream(query).subscribe(parser::feed);
  }

  private synchronized void reconnect() {
    if (closed) {
      return;
    }
    reconnects++;
    subscription.dispose();
    connect(count == 0 ? 0L : ids[count - 1]);
  }

  int reconnects() {
    return reconnects;
  }

  private synchronized void record(long id) {
    if (count == ids.length) {
      ids = Arrays.copyOf(ids, count * 2);
      arrivals = Arrays.copyOf(arrivals, count * 2);
    }
    ids[count] = id;
    arrivals[count++] = System.nanoTime();
  }

  synchronized long[] ids() {
    return Arrays.copyOf(ids, count);
  }

  synchronized long[] arrivals() {
    return Arrays.copyOf(arrivals, count);
  }

  synchronized int count() {
    return count;
  }

  boolean overflowed() {
    return overflowed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    subscription.dispose();
  }
}
