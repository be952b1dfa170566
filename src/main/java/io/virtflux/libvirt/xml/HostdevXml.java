package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <hostdev mode='subsystem' type='pci' managed='yes'>}: a host PCI function passed through
 * to the guest.
 *
 * @param managed {@code yes} makes libvirt detach the function from its host driver and bind it to
 *     vfio-pci on start, and give it back on stop
 * @param address the guest-side address, live XML or when pinned
 */
@JacksonXmlRootElement(localName = "hostdev")
public record HostdevXml(
    @JacksonXmlProperty(isAttribute = true) String mode,
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable String managed,
    @Nullable Driver driver,
    Source source,
    @Nullable Alias alias,
    @Nullable DeviceAddress address)
    implements DeviceXml {

  /** A managed PCI passthrough of {@code host}. */
  public static HostdevXml pci(PciAddress host) {
    return new HostdevXml(
        "subsystem", "pci", "yes", null, new Source(host.toSourceAddress()), null, null);
  }

  /** The host PCI function, when this is a PCI hostdev. */
  public @Nullable PciAddress hostPciAddress() {
    DeviceAddress a = source.address();
    return "pci".equals(type) && a != null && a.isPci() ? a.pci() : null;
  }

  /** {@code <driver name='vfio'/>}. */
  public record Driver(@JacksonXmlProperty(isAttribute = true) String name) {}

  /** {@code <source><address domain='0x0000' .../></source>}. */
  public record Source(@Nullable DeviceAddress address) {}
}
