package io.virtflux.operation.journal;

import io.virtflux.operation.HostEvent;
import io.virtflux.operation.Operation;
import io.virtflux.operation.VmEvent;
import org.jspecify.annotations.Nullable;

/**
 * One event of the stream, as journaled: a change of an operation, a libvirt lifecycle event of a
 * VM, or a host's state change. All share one sequence, so one {@code Last-Event-ID} resumes all.
 *
 * @param seq the journal's sequence number, the SSE event id
 * @param operation the operation after the change (operation events)
 * @param vm what libvirt reported (VM events)
 * @param hostEvent the host's new state (host events)
 * @param json the payload as written to the journal, sent as is to every subscriber
 */
public record JournalEvent(
    long seq,
    @Nullable Operation operation,
    @Nullable VmEvent vm,
    @Nullable HostEvent hostEvent,
    String json) {

  /** The SSE event name of operation events. */
  public static final String OPERATION = "operation";

  /** The SSE event name of VM events. */
  public static final String VM = "vm";

  /** The SSE event name of host state changes. */
  public static final String HOST = "host";

  JournalEvent(long seq, Operation operation, String json) {
    this(seq, operation, null, null, json);
  }

  JournalEvent(long seq, VmEvent vm, String json) {
    this(seq, null, vm, null, json);
  }

  JournalEvent(long seq, HostEvent host, String json) {
    this(seq, null, null, host, json);
  }

  /** {@link #OPERATION}, {@link #VM} or {@link #HOST}. */
  public String type() {
    return operation != null ? OPERATION : vm != null ? VM : HOST;
  }

  /** Whether this is an operation's terminal event. */
  public boolean terminal() {
    return operation != null && operation.phase().terminal();
  }
}
