package io.virtflux.host;

/** Whether the service can use a host. */
public enum HostStatus {
  /** Not probed yet. */
  UNKNOWN,
  ONLINE,
  /** libvirt cannot be reached. */
  OFFLINE,
  /** libvirt answers but something about the host is wrong (the reason says what). */
  ERROR,
  /** Set by an admin: no new operations are accepted; running ones finish. */
  DISABLED
}
