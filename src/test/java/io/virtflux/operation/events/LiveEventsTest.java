package io.virtflux.operation.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The live tails' batching, on virtual time. */
class LiveEventsTest {

  private static final Duration WINDOW = Duration.ofMillis(10);

  private final LiveEvents live =
      new LiveEvents(new EventProperties(Duration.ofSeconds(15), 16, WINDOW, 0));
  private final VirtualTimeScheduler delivery = VirtualTimeScheduler.create();
  private final List<Long> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger delayedTasks = new AtomicInteger();

  @Test
  void eventAfterAQuietSpellGoesAtOnceAndThoseRightBehindItTogetherAtTheWindowsEnd() {
    Disposable subscription = subscribe();

    live.committed(TestEvents.queued(1));
    delivery.advanceTime();
    assertThat(received).containsExactly(1L);

    live.committed(TestEvents.queued(2));
    live.committed(TestEvents.queued(3));
    delivery.advanceTimeBy(WINDOW.minusMillis(1));
    assertThat(received).as("held until the window ends").containsExactly(1L);
    delivery.advanceTimeBy(Duration.ofMillis(1));
    assertThat(received).containsExactly(1L, 2L, 3L);

    delivery.advanceTimeBy(Duration.ofSeconds(1));
    live.committed(TestEvents.queued(4));
    delivery.advanceTime();
    assertThat(received).as("quiet again: at once").containsExactly(1L, 2L, 3L, 4L);
    subscription.dispose();
    assertThat(live.subscribers()).isZero();
  }

  @Test
  void endingCompletesEachStreamAfterWhatWasQueuedForItAndLaterStreamsAtOnce() {
    AtomicBoolean completed = new AtomicBoolean();
    live.open(event -> true, DeliveryThread.of(delivery))
        .events()
        .subscribe(
            batch -> batch.forEach(next -> received.add(next.event().seq())),
            error -> {},
            () -> completed.set(true));
    live.committed(TestEvents.queued(1));
    live.committed(TestEvents.queued(2));

    live.end();
    // the second waits for its batch window, as any event right behind another
    delivery.advanceTimeBy(WINDOW);

    assertThat(received).as("delivered, then completed").containsExactly(1L, 2L);
    assertThat(completed).isTrue();
    assertThat(live.subscribers()).isZero();

    AtomicBoolean laterCompleted = new AtomicBoolean();
    live.open(event -> true, DeliveryThread.of(delivery))
        .events()
        .subscribe(batch -> {}, error -> {}, () -> laterCompleted.set(true));
    delivery.advanceTime();
    assertThat(laterCompleted).as("a stream opened while the service stops").isTrue();
  }

  @Test
  void withFewStreamsEveryEventGoesAtOnce() {
    LiveEvents few = new LiveEvents(new EventProperties(Duration.ofSeconds(15), 16, WINDOW, 1));
    few.open(event -> true, DeliveryThread.of(delivery))
        .events()
        .subscribe(batch -> batch.forEach(next -> received.add(next.event().seq())));

    few.committed(TestEvents.queued(1));
    delivery.advanceTime();
    few.committed(TestEvents.queued(2));
    delivery.advanceTime();

    assertThat(received).containsExactly(1L, 2L);
  }

  @Test
  void whileTheConnectionTakesNoMoreEventsWaitInTheQueueAndOverflowIt() {
    AtomicBoolean writable = new AtomicBoolean(false);
    DeliveryThread stalled = withWritability(() -> writable.get());
    List<String> signals = new CopyOnWriteArrayList<>();
    live.open(event -> true, stalled)
        .events()
        .subscribe(
            batch -> batch.forEach(next -> received.add(next.event().seq())),
            error -> signals.add(error.getMessage()));

    for (long seq = 1; seq <= 17; seq++) {
      live.committed(TestEvents.queued(seq));
    }
    delivery.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(received).as("nothing written to a connection that takes no more").isEmpty();
    assertThat(delayedTasks.get())
        .as("one writability recheck every 50 ms, not one per waiting event")
        .isLessThanOrEqualTo(21);
    assertThat(live.subscribers()).as("the 17th overflowed its queue of 16").isZero();

    writable.set(true);
    delivery.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(received).hasSize(16);
    assertThat(signals).singleElement().asString().contains("reconnect with Last-Event-ID");
  }

  @Test
  void aFailingDrainEndsTheStreamWithTheErrorInsteadOfStallingIt() {
    DeliveryThread broken =
        withWritability(
            () -> {
              throw new IllegalStateException("broken drain");
            });
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    live.open(event -> true, broken).events().subscribe(batch -> {}, errors::add);

    live.committed(TestEvents.queued(1));
    delivery.advanceTime();

    assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("broken drain");
    assertThat(live.subscribers()).isZero();
  }

  @Test
  void eventsQueuedBeforeTheSubscriptionAreDeliveredWhenItComes() {
    LiveEvents.Tail tail = live.open(event -> true, DeliveryThread.of(delivery));
    live.committed(TestEvents.queued(1));
    live.committed(TestEvents.queued(2));
    delivery.advanceTime();

    tail.events().subscribe(batch -> batch.forEach(next -> received.add(next.event().seq())));
    delivery.advanceTime();

    assertThat(received).containsExactly(1L, 2L);
  }

  private Disposable subscribe() {
    LiveEvents.Tail tail = live.open(event -> true, DeliveryThread.of(delivery));
    return tail.events()
        .subscribe(batch -> batch.forEach(next -> received.add(next.event().seq())));
  }

  /** The virtual-time delivery thread, with the connection's writability from {@code writable}. */
  private DeliveryThread withWritability(BooleanSupplier writable) {
    DeliveryThread thread = DeliveryThread.of(delivery);
    return new DeliveryThread() {
      @Override
      public void execute(Runnable task) {
        thread.execute(task);
      }

      @Override
      public void schedule(Runnable task, long delayNanos) {
        delayedTasks.incrementAndGet();
        thread.schedule(task, delayNanos);
      }

      @Override
      public long nanoTime() {
        return thread.nanoTime();
      }

      @Override
      public boolean writable() {
        return writable.getAsBoolean();
      }
    };
  }
}
