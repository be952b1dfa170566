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
  private final Disposable subscription;

  Subscriber(ServiceClient client, String path) {
    SseParser parser =
        new SseParser(
            new SseParser.Listener() {
              @Override
              public void event(long id, String event, String data) {
                if ("overflow".equals(event)) {
                  overflowed = true;
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
    subscription = client.stream(path).subscribe(parser::feed);
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
  public void close() {
    subscription.dispose();
  }
}
