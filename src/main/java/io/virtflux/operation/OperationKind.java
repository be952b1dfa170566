package io.virtflux.operation;

import io.swagger.v3.oas.annotations.media.Schema;

/** What an operation does. Each kind has its own configurable timeout. */
@Schema(
    enumAsRef = true,
    description =
        "What an operation does. Later versions of the contract may add kinds: a client must"
            + " treat a kind it does not know as opaque (openapi-generator:"
            + " enumUnknownDefaultCase=true).")
public enum OperationKind {
  DEPLOY,
  START,
  SHUTDOWN,
  CANCEL,
  REBOOT,
  RESET,
  SUSPEND,
  RESUME,
  SAVE,
  RESTORE,
  DESTROY,
  HOST_SYNC,
  MIGRATE,
  ATTACH_DISK,
  DETACH_DISK,
  ATTACH_NIC,
  DETACH_NIC,
  CHANGE_MEDIA,
  IMPORT;

  /**
   * Whether a RUNNING operation of this kind can be aborted (libvirt abortJob); others answer 409.
   */
  public boolean abortable() {
    return this == MIGRATE;
  }
}
