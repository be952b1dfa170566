package io.virtflux.bench;

import java.time.Duration;
import java.util.Arrays;

/**
 * One SSE subscriber of the subscribers scenario: records every event id it gets and when it got it
 * (System.nanoTime), nothing else, so that a thousand of them stay cheap.
 */
final class Subscriber implements AutoCloseable {

  private long[] ids = new long[16_384];
  private long[] arrivals = new long[16_384];
  private int count;
  private final EventStream stream;

  Subscriber(ServiceClient client, String path) {
    stream =
        new EventStream(
            client,
            path,
            false,
            (id, type, data) -> {
              if (id >= 0) {
                record(id);
              }
            });
  }

  void awaitConnected(Duration limit) throws InterruptedException {
    stream.awaitConnected(limit);
  }

  /** How often it was told it overflowed (and reconnected with Last-Event-ID). */
  int reconnects() {
    return stream.reconnects();
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

  @Override
  public void close() {
    stream.close();
  }
}
