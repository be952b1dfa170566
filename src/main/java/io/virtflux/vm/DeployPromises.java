package io.virtflux.vm;

import io.virtflux.host.MemoryPromise;
import io.virtflux.host.MemoryPromises;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The memory promised to each deploy this process accepted ({@link MemoryPromises}), from its
 * submission until its operation ends. The journaled command can't carry the promise, so the run
 * finds it here by host and VM name; a deploy that a previous process accepted has none here, and
 * promises its memory again for as long as it runs.
 */
@Component
class DeployPromises {

  /** A promise and the command it was made for, as submitted (not as read from the journal). */
  private record Held(VmDeployer.Deploy deploy, MemoryPromise promise) {}

  private final MemoryPromises memory;
  private final List<Held> held = new ArrayList<>();

  DeployPromises(MemoryPromises memory) {
    this.memory = memory;
  }

  /**
   * Promises the deploy's memory on its host whether it fits or not (the caller chose the host),
   * and holds it as {@link #hold} does.
   */
  void promiseAnyway(VmDeployer.Deploy deploy) {
    hold(deploy, memory.promiseAnyway(deploy.host(), deploy.template().memory()));
  }

  /** Holds {@code promise} for {@code deploy} until {@link #release} is called with it. */
  synchronized void hold(VmDeployer.Deploy deploy, MemoryPromise promise) {
    held.add(new Held(deploy, promise));
  }

  /**
   * The deploy's operation ended (or was never queued): the promise made when it was submitted
   * ends. {@code deploy} is the very command that was submitted, so a second deploy of the same
   * name keeps its own promise.
   */
  void release(VmDeployer.Deploy deploy) {
    Optional<Held> mine;
    synchronized (this) {
      mine = held.stream().filter(h -> h.deploy() == deploy).findFirst();
      mine.ifPresent(held::remove);
    }
    mine.ifPresent(h -> h.promise().end());
  }

  /**
   * Runs {@code run} with the deploy's promise: the one held since it was submitted, or, when this
   * process did not accept it (it was QUEUED across a restart, which drops promises), a new one
   * made anyway that ends with the run.
   */
  <T> Mono<T> whilePromised(VmDeployer.Deploy deploy, Function<MemoryPromise, Mono<T>> run) {
    return Mono.defer(
        () ->
            heldFor(deploy)
                .map(run)
                .orElseGet(
                    () ->
                        Mono.using(
                            () -> memory.promiseAnyway(deploy.host(), deploy.template().memory()),
                            run,
                            MemoryPromise::end)));
  }

  /** The first promise held for a deploy of the same VM on the same host. */
  private synchronized Optional<MemoryPromise> heldFor(VmDeployer.Deploy deploy) {
    return held.stream()
        .filter(h -> h.deploy().host().equals(deploy.host()))
        .filter(h -> h.deploy().vm().equals(deploy.vm()))
        .map(Held::promise)
        .findFirst();
  }
}
