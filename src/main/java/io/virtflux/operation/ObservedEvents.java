package io.virtflux.operation;

import io.virtflux.operation.journal.OperationJournal;
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

  ObservedEvents(OperationJournal journal) {
    this.journal = journal;
  }

  /** A VM lifecycle event libvirt reported ({@code event: vm}). */
  public Mono<Void> record(VmEvent event) {
    return journal.appendVmEvent(event).then();
  }

  /** A host's state change ({@code event: host}). */
  public Mono<Void> record(HostEvent event) {
    return journal.appendHostEvent(event).then();
  }
}
