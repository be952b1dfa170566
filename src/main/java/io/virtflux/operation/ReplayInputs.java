package io.virtflux.operation;

/**
 * What a feature keeps with a QUEUED operation so that a restarted service can still run it: the
 * name of the {@link OperationReplay} that rebuilds the work, and that feature's inputs, already
 * validated when the request was accepted (serialised as JSON into the journal, cleared once the
 * operation leaves QUEUED).
 *
 * @param recipe the {@link OperationReplay#recipe()} that rebuilds the work
 * @param inputs a value of that replay's {@link OperationReplay#inputType()}
 */
public record ReplayInputs(String recipe, Object inputs) {}
