package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;

/** {@code <features>}: hypervisor features we switch on as empty elements. */
public record FeaturesXml(@Nullable Flag acpi, @Nullable Flag apic, @Nullable Flag pae) {

  /** The features element for these switches, {@code null} when all are off. */
  public static @Nullable FeaturesXml of(boolean acpi, boolean apic, boolean pae) {
    if (!acpi && !apic && !pae) {
      return null;
    }
    return new FeaturesXml(Flag.of(acpi), Flag.of(apic), Flag.of(pae));
  }
}
