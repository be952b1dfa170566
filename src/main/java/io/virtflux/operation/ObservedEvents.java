package io.virtflux.operation;

import io.virtflux.operation.journal.OperationJournal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Where what the service observes on its hosts enters the event stream, beside the operations:
 * libvirt's VM lifecycle events and hosts' state changes. Each is journaled (taking the next seq)
 * and published to live subscribers once committed.
 */
@Component
public class ObservedEvents {

  private final OperationJournal journal;
  private final HostOwnership ownership;

  ObservedEvents(OperationJournal journal, ObjectProvider<HostOwnership> ownership) {
    this.journal = journal;
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
  }

  /**
   * A VM lifecycle event libvirt reported ({@code event: vm}). With several replicas, only the
   * host's owner journals it: every replica watches the host, and the stream carries it once.
   */
  public Mono<Void> record(VmEvent event) {
    return recordsFor(event.host()) ? journal.appendVmEvent(event).then() : Mono.empty();
  }

  /** A host's state change ({@code event: host}); with several replicas, its owner's only. */
  public Mono<Void> record(HostEvent event) {
    return recordsFor(event.host()) ? journal.appendHostEvent(event).then() : Mono.empty();
  }

  /**
   * Whether this replica journals what it sees of {@code host}: when it owns it, or when no replica
   * does yet (a host just registered). A replica whose lease went stale journals nothing.
   */
  private boolean recordsFor(String host) {
    return ownership.mayAct(host)
        || ownership.owner(host).map(owner -> owner.replica() == null).orElse(true);
  }
}
