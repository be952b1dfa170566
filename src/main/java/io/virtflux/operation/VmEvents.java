package io.virtflux.operation;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Where libvirt's VM lifecycle events enter the event stream: journaled, then published live. */
@Component
public class VmEvents {

  private final OperationJournal journal;

  VmEvents(OperationJournal journal) {
    this.journal = journal;
  }

  /** Journals the event (taking the next seq) and publishes it to live subscribers. */
  public Mono<Void> record(VmEvent event) {
    return journal.appendVmEvent(event).then();
  }
}
