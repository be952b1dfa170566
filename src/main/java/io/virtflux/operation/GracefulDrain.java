package io.virtflux.operation;

import io.virtflux.operation.events.LiveEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The graceful stop (SIGTERM): the service finishes what it started, starts nothing more, and
 * leaves the rest in the journal for the next start.
 *
 * <ol>
 *   <li>Readiness turns REFUSING_TRAFFIC at once, new submissions are refused with 503 and
 *       Retry-After, and the lanes start nothing more: QUEUED operations stay QUEUED, with the
 *       inputs their features kept, for the next start to run ({@link JournalRecovery}).
 *   <li>The RUNNING operations run to their end, journaled and published, for up to {@code
 *       virtflux.shutdown.drain-timeout}. What still runs then is dropped without a word more in
 *       the journal: it stays RUNNING, and the next start asks its host how it ended ({@link
 *       RestartReconciler}).
 *   <li>The event streams end, each after the events queued for it: clients resume with
 *       Last-Event-ID where they left off.
 * </ol>
 *
 * <p>Why on {@link ContextClosedEvent}: Spring publishes it first thing when the context closes,
 * before it stops any lifecycle bean, so this runs while the server still listens (a submission
 * gets the 503 and its Retry-After, not a refused connection, while the load balancer catches up
 * with the readiness), and before the beans are destroyed: the journal's writer and the libvirt
 * adapter close only after the drain, so the last events of the finished operations are written.
 * And only then: a lifecycle {@code stop()} also comes with a context that is merely stopped, to be
 * started again (Spring's test framework pauses the contexts it caches that way), and a drain there
 * would leave the service refusing every submission once it runs again. The drain blocks the
 * closing thread (not an event loop) with its own timeout.
 */
@Component
final class GracefulDrain implements ApplicationListener<ContextClosedEvent> {

  private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);

  private final OperationService operations;
  private final LiveEvents live;
  private final ApplicationEventPublisher events;
  private final Duration drainTimeout;
  private final Clock clock = Clock.systemUTC();

  GracefulDrain(
      OperationService operations,
      LiveEvents live,
      ApplicationEventPublisher events,
      ShutdownProperties properties) {
    this.operations = operations;
    this.live = live;
    this.events = events;
    this.drainTimeout = properties.drainTimeout();
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    drain();
  }

  /** The graceful stop; returns once the running operations ended, or the drain timed out. */
  void drain() {
    // Spring Boot publishes it too when the context closes; said here, it holds however the stop
    // began
    AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    Instant drainEnds = clock.instant().plus(drainTimeout);
    Boolean drained =
        operations
            .drain(drainEnds)
            .thenReturn(true)
            .timeout(drainTimeout, Mono.just(false))
            .block();
    if (Boolean.TRUE.equals(drained)) {
      log.info("stopping: every running operation ended");
    } else {
      List<String> left = operations.abandonStarted();
      log.warn(
          "stopping: {} operation(s) still RUNNING after {} are left so; the next start checks"
              + " them on their hosts: {}",
          left.size(),
          drainTimeout,
          left);
    }
    live.end();
  }
}
