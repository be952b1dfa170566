package io.virtflux.operation;

/**
 * The result of an operation that was RUNNING when the service stopped, and that its host showed
 * done at the next start.
 *
 * @param reconciledAfterRestart what the host showed
 */
public record ReconciledAfterRestart(String reconciledAfterRestart) {}
