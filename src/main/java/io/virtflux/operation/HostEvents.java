package io.virtflux.operation;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Where hosts' state changes enter the event stream: journaled, then published live. */
@Component
public class HostEvents {

  private final OperationJournal journal;

  HostEvents(OperationJournal journal) {
    this.journal = journal;
  }

  /** Journals the event (taking the next seq) and publishes it to live subscribers. */
  public Mono<Void> record(HostEvent event) {
    return journal.appendHostEvent(event).then();
  }
}
