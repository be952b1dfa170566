package io.virtflux.operation.lanes;

import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.LaneState;
import io.virtflux.operation.OperationKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * All lanes, one per host, created on first use. An operation on several hosts takes their lanes in
 * one global order (sorted host names) and holds them all while it runs: two migrations in opposite
 * directions then queue behind each other instead of each holding one lane and waiting for the
 * other's.
 */
public final class HostLanes {

  private final Map<String, HostLane> lanes = new ConcurrentHashMap<>();
  private final LaneLimits limits;
  private volatile boolean closed;

  public HostLanes(LaneLimits limits) {
    this.limits = limits;
  }

  public LaneState state(String host) {
    return lane(host).state();
  }

  /**
   * Runs {@code body} once every lane of {@code hosts} admitted the operation, and gives the slots
   * back however the body ends: completion, error, timeout or cancellation.
   */
  public <T> Mono<T> withPermits(List<String> hosts, OperationKind kind, Supplier<Mono<T>> body) {
    List<HostLane> ordered = hosts.stream().distinct().sorted().map(this::lane).toList();
    return nest(ordered, kind, body);
  }

  private <T> Mono<T> nest(List<HostLane> ordered, OperationKind kind, Supplier<Mono<T>> body) {
    if (ordered.isEmpty()) {
      return Mono.defer(body);
    }
    List<HostLane> rest = ordered.subList(1, ordered.size());
    return Mono.usingWhen(
        ordered.get(0).acquire(kind),
        permit -> nest(rest, kind, body),
        permit -> Mono.fromRunnable(permit::release));
  }

  /**
   * Admits nothing more, on any lane: a stopping service lets what runs end and starts nothing.
   * Operations still waiting stay queued; the slots that free up stay free.
   */
  public void close() {
    closed = true;
    lanes.values().forEach(HostLane::close);
  }

  private HostLane lane(String host) {
    return lanes.computeIfAbsent(
        host,
        h -> {
          HostLane lane = new HostLane(h, limits);
          if (closed) {
            lane.close();
          }
          return lane;
        });
  }
}
