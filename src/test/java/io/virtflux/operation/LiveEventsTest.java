package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The live tails' batching, on virtual time. */
class LiveEventsTest {

  private static final Duration WINDOW = Duration.ofMillis(10);

  private final LiveEvents live = new LiveEvents();
  private final VirtualTimeScheduler delivery = VirtualTimeScheduler.create();
  private final List<Long> received = new CopyOnWriteArrayList<>();

  @Test
  void eventAfterAQuietSpellGoesAtOnceAndThoseRightBehindItTogetherAtTheWindowsEnd() {
    Disposable subscription = subscribe();

    live.publish(event(1));
    delivery.advanceTime();
    assertThat(received).containsExactly(1L);

    live.publish(event(2));
    live.publish(event(3));
    delivery.advanceTimeBy(WINDOW.minusMillis(1));
    assertThat(received).as("held until the window ends").containsExactly(1L);
    delivery.advanceTimeBy(Duration.ofMillis(1));
    assertThat(received).containsExactly(1L, 2L, 3L);

    delivery.advanceTimeBy(Duration.ofSeconds(1));
    live.publish(event(4));
    delivery.advanceTime();
    assertThat(received).as("quiet again: at once").containsExactly(1L, 2L, 3L, 4L);
    subscription.dispose();
    assertThat(live.subscribers()).isZero();
  }

  @Test
  void eventsQueuedBeforeTheSubscriptionAreDeliveredWhenItComes() {
    LiveEvents.Tail tail = live.open(event -> true, 16, DeliveryThread.of(delivery), WINDOW);
    live.publish(event(1));
    live.publish(event(2));
    delivery.advanceTime();

    tail.events().subscribe(batch -> batch.forEach(next -> received.add(next.event().seq())));
    delivery.advanceTime();

    assertThat(received).containsExactly(1L, 2L);
  }

  private Disposable subscribe() {
    LiveEvents.Tail tail = live.open(event -> true, 16, DeliveryThread.of(delivery), WINDOW);
    return tail.events()
        .subscribe(batch -> batch.forEach(next -> received.add(next.event().seq())));
  }

  private static JournalEvent event(long seq) {
    Operation operation =
        Operation.queued(
            "op-" + seq,
            new OperationRequest(
                OperationKind.SHUTDOWN, OperationTarget.vmOn("vm", "host"), null, "alice"),
            Instant.EPOCH);
    return new JournalEvent(seq, operation, "{}");
  }
}
