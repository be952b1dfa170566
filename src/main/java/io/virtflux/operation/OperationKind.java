package io.virtflux.operation;

/** What an operation does. Each kind has its own configurable timeout. */
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
