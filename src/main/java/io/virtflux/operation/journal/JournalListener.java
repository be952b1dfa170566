package io.virtflux.operation.journal;

/**
 * What is told of each event once the journal committed it: the live event streams, the meters. The
 * journal calls its listeners on its writer thread, in seq order, before the next write runs, so a
 * listener sees the events in the order subscribers must get them; it must only hand the event on,
 * never block. An interface the journal owns, so that the journal knows none of them: they are
 * built on the journal, not the other way round.
 */
@FunctionalInterface
public interface JournalListener {

  /** {@code event} was committed; called once per event, in seq order. */
  void committed(JournalEvent event);

  /**
   * Whether this listener is told every replica's events (the event streams), rather than only the
   * commits of this replica (the meters). On a journal shared by several replicas those come from
   * the {@link EventTail}, in the one global seq order, once whichever replica wrote them
   * committed; on an embedded journal both are this process's commits.
   */
  default boolean everyReplica() {
    return false;
  }
}
