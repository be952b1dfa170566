package io.virtflux.libvirt;

/** Lifecycle calls on an existing domain, each one libvirt API call. */
public enum DomainAction {
  /** virDomainCreate: boot a defined, shut-off domain. */
  START,
  /** virDomainShutdown: ask the guest (ACPI power button) to power off; returns at once. */
  SHUTDOWN,
  /** virDomainDestroy: pull the plug. */
  DESTROY,
  /** virDomainReboot: ask the guest to reboot. */
  REBOOT,
  /** virDomainReset: hard reset, no guest cooperation. */
  RESET,
  /** virDomainSuspend: pause the vCPUs. */
  SUSPEND,
  /** virDomainResume: unpause the vCPUs. */
  RESUME,
  /** virDomainUndefine (with managed-save and snapshot metadata): forget the definition. */
  UNDEFINE
}
