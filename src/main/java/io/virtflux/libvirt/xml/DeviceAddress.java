package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <address .../>} as libvirt writes it: a guest-side device address ({@code type='pci'},
 * {@code 'drive'}, {@code 'virtio-serial'}, …) or, without a type, a host PCI address inside a
 * hostdev source or an IOMMU group.
 *
 * <p>Parts stay strings on purpose: libvirt writes PCI parts as {@code 0x}-prefixed hex and drive
 * parts as decimal, and reads a value without {@code 0x} as decimal (or octal with a leading zero).
 * Keeping the text avoids a lossy round trip; {@link PciAddress} gives the numbers.
 */
public record DeviceAddress(
    @JacksonXmlProperty(isAttribute = true) @Nullable String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable String domain,
    @JacksonXmlProperty(isAttribute = true) @Nullable String bus,
    @JacksonXmlProperty(isAttribute = true) @Nullable String slot,
    @JacksonXmlProperty(isAttribute = true) @Nullable String function,
    @JacksonXmlProperty(isAttribute = true) @Nullable String multifunction,
    @JacksonXmlProperty(isAttribute = true) @Nullable String controller,
    @JacksonXmlProperty(isAttribute = true) @Nullable String target,
    @JacksonXmlProperty(isAttribute = true) @Nullable String unit,
    @JacksonXmlProperty(isAttribute = true) @Nullable String port) {

  /** Whether this names a PCI function (a typed {@code pci} address or an untyped host one). */
  public boolean isPci() {
    return (type == null || "pci".equals(type))
        && domain != null
        && bus != null
        && slot != null
        && function != null;
  }

  /**
   * The PCI address as numbers.
   *
   * @throws IllegalStateException when this is not a PCI address
   */
  public PciAddress pci() {
    if (!isPci()) {
      throw new IllegalStateException("not a PCI address: " + this);
    }
    return PciAddress.of(
        PciAddress.parseNumber(domain),
        PciAddress.parseNumber(bus),
        PciAddress.parseNumber(slot),
        PciAddress.parseNumber(function));
  }
}
