package io.virtflux.operation;

/**
 * The typed inputs of one operation: a record that the journal keeps from the moment the operation
 * is accepted, and that the lane reads back from the journal to run it, whether this process
 * accepted it or an earlier one did. It names everything the run needs (the host chosen, the
 * resolved paths), never code: {@link CommandHandler} is the code.
 */
public interface Command {

  /** What the operation does. */
  OperationKind kind();

  /** The VM it acts on (if any) and the hosts whose lanes it takes. */
  OperationTarget target();
}
