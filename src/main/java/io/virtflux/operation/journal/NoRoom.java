package io.virtflux.operation.journal;

/**
 * A QUEUED operation cannot start yet: one of its hosts already runs as many operations as it
 * admits (counted across every replica). Nothing was written; the operation waits and tries again.
 */
public final class NoRoom extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NoRoom(String host) {
    super("host " + host + " is full", null, false, false);
  }
}
