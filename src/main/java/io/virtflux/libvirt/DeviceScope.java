package io.virtflux.libvirt;

/**
 * Where a device change applies: the running domain, its persistent definition, or both (libvirt's
 * {@code VIR_DOMAIN_AFFECT_LIVE} and {@code VIR_DOMAIN_AFFECT_CONFIG}).
 *
 * @param live change the running domain (QEMU hotplug)
 * @param config change the persistent definition, so that the change survives a restart
 */
public record DeviceScope(boolean live, boolean config) {

  public DeviceScope {
    if (!live && !config) {
      throw new IllegalArgumentException("a device change must apply somewhere");
    }
  }

  /** Only the persistent definition (a shut-off domain). */
  public static DeviceScope configOnly() {
    return new DeviceScope(false, true);
  }
}
