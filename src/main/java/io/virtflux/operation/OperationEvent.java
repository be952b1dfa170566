package io.virtflux.operation;

/**
 * One journaled change of an operation.
 *
 * @param seq the journal's sequence number, the SSE event id
 * @param operation the operation after the change
 * @param json {@code operation} as written to the journal, sent as is to every subscriber
 */
record OperationEvent(long seq, Operation operation, String json) {}
