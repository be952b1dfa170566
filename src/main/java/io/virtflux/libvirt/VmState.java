package io.virtflux.libvirt;

/** A domain's state as libvirt reports it (virDomainState), without libvirt types. */
public enum VmState {
  NOSTATE,
  RUNNING,
  BLOCKED,
  PAUSED,
  SHUTDOWN,
  SHUTOFF,
  CRASHED,
  PMSUSPENDED;

  /** Whether a QEMU process exists for the domain (everything but SHUTOFF and NOSTATE). */
  public boolean active() {
    return this != SHUTOFF && this != NOSTATE;
  }
}
