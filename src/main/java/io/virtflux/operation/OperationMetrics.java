package io.virtflux.operation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.virtflux.operation.events.LiveEvents;
import io.virtflux.operation.journal.JournalEvent;
import io.virtflux.operation.journal.JournalListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The pipeline's meters, fed by every committed journal event:
 *
 * <ul>
 *   <li>{@code virtflux.operations} (counter): phase changes by kind, phase and host
 *   <li>{@code virtflux.operation.queue.wait} (histogram): QUEUED until RUNNING, by kind and host
 *   <li>{@code virtflux.operation.duration} (histogram): RUNNING until the end, by kind, outcome
 *       and host
 *   <li>{@code virtflux.events.subscribers} (gauge): open SSE streams
 * </ul>
 */
@Component
// after the live streams (see LiveEvents)
@Order(1)
final class OperationMetrics implements JournalListener {

  private final MeterRegistry registry;

  /** The last phase counted per unfinished operation, so progress events are not counted. */
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();

  OperationMetrics(MeterRegistry registry, LiveEvents live) {
    this.registry = registry;
    Gauge.builder("virtflux.events.subscribers", live, LiveEvents::subscribers)
        .description("open server-sent event streams")
        .register(registry);
  }

  @Override
  public void committed(JournalEvent event) {
    Operation op = event.operation();
    if (op == null) {
      return;
    }
    Phase previous =
        op.phase().terminal() ? phases.remove(op.id()) : phases.put(op.id(), op.phase());
    if (previous == op.phase()) {
      return;
    }
    String kind = op.kind().name();
    for (String host : op.target().hosts()) {
      Counter.builder("virtflux.operations")
          .description("operation phase changes")
          .tag("kind", kind)
          .tag("phase", op.phase().name())
          .tag("host", host)
          .register(registry)
          .increment();
    }
    String host = op.target().hosts().get(0);
    if (op.phase() == Phase.RUNNING && op.startedAt() != null) {
      timer("virtflux.operation.queue.wait", "time from QUEUED to RUNNING", kind, host, null)
          .record(between(op.createdAt(), op.startedAt()));
    }
    if (op.phase().terminal() && op.finishedAt() != null) {
      Instant from = op.startedAt() != null ? op.startedAt() : op.createdAt();
      timer(
              "virtflux.operation.duration",
              "time from RUNNING to the end",
              kind,
              host,
              op.phase().name())
          .record(between(from, op.finishedAt()));
    }
  }

  private Timer timer(String name, String description, String kind, String host, String outcome) {
    Timer.Builder b =
        Timer.builder(name)
            .description(description)
            .tag("kind", kind)
            .tag("host", host)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(1));
    if (outcome != null) {
      b = b.tag("outcome", outcome);
    }
    return b.register(registry);
  }

  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
