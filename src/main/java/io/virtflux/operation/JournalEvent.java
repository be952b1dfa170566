package io.virtflux.operation;

import org.jspecify.annotations.Nullable;

/**
 * One event of the stream, as journaled: a change of an operation, or a libvirt lifecycle event of
 * a VM. Both share one sequence, so one {@code Last-Event-ID} resumes both.
 *
 * @param seq the journal's sequence number, the SSE event id
 * @param operation the operation after the change (operation events)
 * @param vm what libvirt reported (VM events)
 * @param json the payload as written to the journal, sent as is to every subscriber
 */
record JournalEvent(long seq, @Nullable Operation operation, @Nullable VmEvent vm, String json) {

  /** The SSE event name of operation events. */
  static final String OPERATION = "operation";

  /** The SSE event name of VM events. */
  static final String VM = "vm";

  JournalEvent(long seq, Operation operation, String json) {
    this(seq, operation, null, json);
  }

  /** {@link #OPERATION} or {@link #VM}. */
  String type() {
    return operation != null ? OPERATION : VM;
  }

  /** Whether this is an operation's terminal event. */
  boolean terminal() {
    return operation != null && operation.phase().terminal();
  }
}
