package io.virtflux.operation.events;

import io.virtflux.operation.journal.JournalEvent;
import io.virtflux.operation.journal.JournalListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * Fan-out of journaled events to live subscribers. Each subscriber has its own bounded queue (a
 * {@link Tail}): a slow one fills only its own queue, and when that overflows it is ended with an
 * overflow error instead of holding back the journal or the other subscribers.
 *
 * <p>{@link #committed} is called by the journal's single writer, one event at a time in sequence
 * order: emission into the queues is serialised by construction. Publishing only queues: each tail
 * is drained on its subscriber's delivery thread, in batches (see {@link Tail}).
 */
@Component
// the journal's first listener: subscribers get each event before the meters count it, and a
// meter that throws cannot keep it from them
@Order(0)
public final class LiveEvents implements JournalListener {

  private final Set<Tail> tails = ConcurrentHashMap.newKeySet();
  private final EventProperties properties;
  private volatile boolean stopping;

  LiveEvents(EventProperties properties) {
    this.properties = properties;
  }

  /**
   * Queues the event into every matching tail, encoded once ({@link SseFrame}) for all of them. The
   * delivery itself runs on each subscriber's own thread, not here.
   */
  /** Every replica's events: a stream on any replica delivers all of them, in one order. */
  @Override
  public boolean everyReplica() {
    return true;
  }

  @Override
  public void committed(JournalEvent event) {
    if (tails.isEmpty()) {
      return;
    }
    Delivery delivery = Delivery.of(event);
    // with few streams, every event is written at once; batching pays off only with many
    boolean batching = tails.size() > properties.batchAbove();
    tails.forEach(tail -> tail.offer(delivery, batching));
  }

  /**
   * Starts buffering the matching events published from now on, to be delivered on {@code
   * delivery}. The caller must {@link Tail#close()} it.
   */
  Tail open(Predicate<JournalEvent> filter, DeliveryThread delivery) {
    Tail tail = new Tail(filter, properties.subscriberBuffer(), delivery, properties.batchWindow());
    tails.add(tail);
    if (stopping) {
      tail.end();
    }
    return tail;
  }

  /**
   * Ends every stream, each once it delivered what was queued for it, and every stream opened from
   * now on once it replayed the journal: a stopping service closes its streams instead of cutting
   * them, and their clients resume with Last-Event-ID on the next process (or another instance),
   * which replays from the journal whatever came after.
   */
  public void end() {
    stopping = true;
    tails.forEach(Tail::end);
  }

  public int subscribers() {
    return tails.size();
  }

  /**
   * An event with its frame, as queued for a subscriber; or a notice about the stream (no event),
   * which only a replay sends.
   */
  record Delivery(@Nullable JournalEvent event, SseFrame frame) {

    static Delivery of(JournalEvent event) {
      return new Delivery(event, SseFrame.of(event));
    }

    /** A frame that is no journaled event (such as {@code history-lost}): sent as it comes. */
    static Delivery notice(SseFrame frame) {
      return new Delivery(null, frame);
    }

    /** A page read from the journal for one subscriber (a replay): encoded for it alone. */
    static List<Delivery> page(List<JournalEvent> events) {
      return events.stream().map(Delivery::of).toList();
    }
  }

  /**
   * One subscriber's live queue, drained on its delivery thread at most once per {@code
   * batchWindow}: an event after a quiet spell goes out at once, and the events that follow it
   * within the window go out together when it ends, so that the connection is written (and flushed:
   * one system call) once per batch instead of once per event. With a thousand subscribers, the
   * per-event write was most of the service's CPU ({@code dev/bench}, "subscribers"); and the
   * journal's writer runs none of the subscriber's operators, it only offers to the queue.
   *
   * <p>The tail is itself the {@link Flux} of its events (one subscriber), rather than a {@code
   * Flux.create} or a sink: with automatic context propagation those restore every thread-local
   * around each element, a third of the delivery's CPU. The queue is single-producer (the journal's
   * writer) single-consumer (the drain, serialised by {@code wip}), and emits only as much as the
   * subscriber requested.
   */
  final class Tail extends Flux<List<Delivery>> implements Subscription, Scannable, AutoCloseable {

    /**
     * Reactor's (package-private) attribute by which its own sources say they need no thread-local
     * restoring around each element; a source that does not say so gets a wrapper that sets and
     * clears every registered thread-local per element. Ours emits on its delivery thread with no
     * thread-locals of its own to restore. Matched by name: if Reactor renames it, the tail only
     * loses the saving, never an element.
     */
    private static final String INTERNAL_PRODUCER = "reactor.core.publisher.InternalProducerAttr";

    private static final long WRITABLE_RECHECK_NANOS = 50_000_000;

    private final Predicate<JournalEvent> filter;
    private final Queue<Delivery> queue;
    private final DeliveryThread delivery;
    private final long windowNanos;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    // one pending writability recheck at most, however many events arrive meanwhile
    private final AtomicBoolean recheckPending = new AtomicBoolean();
    // on the delivery thread's clock, so that virtual time in tests moves it too
    private volatile long lastDrain = Long.MIN_VALUE / 2;
    private volatile @Nullable CoreSubscriber<? super List<Delivery>> subscriber;
    private volatile boolean overflowed;
    private volatile boolean cancelled;
    private volatile boolean ending;
    // only touched by the drain
    private boolean ended;

    private Tail(
        Predicate<JournalEvent> filter,
        int capacity,
        DeliveryThread delivery,
        Duration batchWindow) {
      this.filter = filter;
      this.queue = Queues.<Delivery>get(capacity).get();
      this.delivery = delivery;
      this.windowNanos = batchWindow.toNanos();
    }

    /**
     * The buffered events, then the live ones, in batches of those queued since the last; errors
     * with an overflow (after the events it did queue) when the queue was full. Subscribed once.
     */
    Flux<List<Delivery>> events() {
      return this;
    }

    @Override
    public void subscribe(CoreSubscriber<? super List<Delivery>> actual) {
      if (subscriber != null) {
        Operators.error(actual, new IllegalStateException("a live tail has one subscriber"));
        return;
      }
      subscriber = actual;
      actual.onSubscribe(this);
      drainNow();
    }

    @Override
    public @Nullable Object scanUnsafe(Attr key) {
      if (key.getClass().getName().equals(INTERNAL_PRODUCER)) {
        return true;
      }
      if (key == Attr.BUFFERED) {
        // the queue's size is an estimate while the writer offers (it can even read -1)
        return Math.max(0, queue.size());
      }
      if (key == Attr.CANCELLED) {
        return cancelled;
      }
      return null;
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        requested.getAndUpdate(current -> Operators.addCap(current, n));
        drainNow();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      close();
      drainNow();
    }

    /** Completes the stream once the queued events are delivered (see {@link LiveEvents#end()}). */
    private void end() {
      ending = true;
      drainNow();
    }

    private void offer(Delivery delivery, boolean batching) {
      JournalEvent event = delivery.event();
      if (event == null || !filter.test(event)) {
        return;
      }
      if (!queue.offer(delivery)) {
        overflowed = true;
        close();
        drainNow();
      } else if (batching) {
        drainLater();
      } else {
        drainNow();
      }
    }

    private void drainLater() {
      if (wip.getAndIncrement() == 0) {
        run(lastDrain + windowNanos - delivery.nanoTime(), this::drain);
      }
    }

    private void drainNow() {
      if (wip.getAndIncrement() == 0) {
        run(0, this::drain);
      }
    }

    private void run(long delayNanos, Runnable task) {
      try {
        if (delayNanos > 0) {
          delivery.schedule(task, delayNanos);
        } else {
          delivery.execute(task);
        }
      } catch (RejectedExecutionException shutDown) {
        // the connection's thread is gone, and with it the subscriber
        close();
      }
    }

    private void drain() {
      int missed = 1;
      do {
        CoreSubscriber<? super List<Delivery>> actual = subscriber;
        if (cancelled) {
          queue.clear();
        } else if (actual != null && !ended) {
          try {
            emit(actual);
          } catch (RuntimeException failure) {
            // never leave wip held: the tail would stall silently. The stream ends with the
            // error, and the client resumes from its Last-Event-ID.
            ended = true;
            close();
            queue.clear();
            actual.onError(failure);
          }
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void emit(CoreSubscriber<? super List<Delivery>> actual) {
      if (!queue.isEmpty() && !delivery.writable()) {
        // the subscriber does not read: look again later, while the queue (bounded) fills
        if (recheckPending.compareAndSet(false, true)) {
          run(
              WRITABLE_RECHECK_NANOS,
              () -> {
                recheckPending.set(false);
                drainNow();
              });
        }
        return;
      }
      if (requested.get() > 0 && !queue.isEmpty()) {
        List<Delivery> batch = new ArrayList<>();
        Delivery next;
        while ((next = queue.poll()) != null) {
          batch.add(next);
        }
        requested.getAndUpdate(current -> current == Long.MAX_VALUE ? current : current - 1);
        lastDrain = delivery.nanoTime();
        actual.onNext(batch);
      }
      if (overflowed && queue.isEmpty() && !cancelled) {
        ended = true;
        actual.onError(
            Exceptions.failWithOverflow("subscriber too slow: reconnect with Last-Event-ID"));
      } else if (ending && queue.isEmpty() && !cancelled) {
        ended = true;
        close();
        actual.onComplete();
      }
    }

    @Override
    public void close() {
      tails.remove(this);
    }
  }
}
