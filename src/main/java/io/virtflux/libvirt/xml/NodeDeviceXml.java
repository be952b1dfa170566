package io.virtflux.libvirt.xml;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/**
 * {@code virsh nodedev-dumpxml pci_0000_01_00_0}: a host device. Read only; the model covers PCI
 * devices, the ones we list and pass through.
 *
 * @param name libvirt's device name, {@code pci_0000_01_00_0}
 * @param parent the parent device name ({@code pci_0000_00_01_0}, {@code computer})
 * @param driver the host driver bound now ({@code vfio-pci} once detached for passthrough); absent
 *     when none is bound
 */
@JacksonXmlRootElement(localName = "device")
public record NodeDeviceXml(
    String name,
    @Nullable String path,
    @Nullable String parent,
    @Nullable Driver driver,
    @JacksonXmlProperty(localName = "capability") List<Capability> capabilities) {

  public NodeDeviceXml {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  /** The {@code pci} capability, present for PCI devices. */
  public Optional<Capability> pci() {
    return capabilities.stream().filter(c -> "pci".equals(c.type())).findFirst();
  }

  /** The bound driver's name, or {@code null}. */
  public @Nullable String driverName() {
    return driver == null ? null : driver.name();
  }

  /** {@code <driver><name>vfio-pci</name></driver>}. */
  public record Driver(@Nullable String name) {}

  /**
   * {@code <capability type='pci'>}. Unlike domain XML, the address parts here are plain decimal
   * elements ({@code <slot>31</slot>}).
   *
   * @param pciClass the class code as libvirt prints it, {@code 0x030000}
   * @param iommuGroup the functions that must be passed through together
   */
  public record Capability(
      @JacksonXmlProperty(isAttribute = true) String type,
      @JacksonXmlProperty(localName = "class") @Nullable String pciClass,
      @Nullable Integer domain,
      @Nullable Integer bus,
      @Nullable Integer slot,
      @Nullable Integer function,
      @Nullable IdName product,
      @Nullable IdName vendor,
      @Nullable IommuGroup iommuGroup,
      @Nullable Numa numa) {

    /**
     * The function's address.
     *
     * @throws IllegalStateException when a part is missing (not a PCI capability)
     */
    public PciAddress address() {
      if (domain == null || bus == null || slot == null || function == null) {
        throw new IllegalStateException("capability " + type + " has no PCI address");
      }
      return PciAddress.of(domain, bus, slot, function);
    }

    /** The 24-bit class code ({@code 0x030000} is a VGA controller), or -1 when absent. */
    public int classCode() {
      return pciClass == null ? -1 : PciAddress.parseNumber(pciClass);
    }
  }

  /**
   * {@code <vendor id='0x10de'>NVIDIA Corporation</vendor>} or {@code <product id='0x1eb8'>TU104GL
   * [Tesla T4]</product>}.
   *
   * @param value the name from the PCI id database; absent for unknown ids
   */
  public record IdName(
      @JacksonXmlProperty(isAttribute = true) String id, @JacksonXmlText @Nullable String value) {

    /** The 16-bit id as a number. */
    public int number() {
      return PciAddress.parseNumber(id);
    }
  }

  /** {@code <iommuGroup number='12'><address .../>...</iommuGroup>}. */
  public record IommuGroup(
      @JacksonXmlProperty(isAttribute = true) int number,
      @JacksonXmlProperty(localName = "address") List<DeviceAddress> addresses) {

    public IommuGroup {
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** The member functions. */
    public List<PciAddress> members() {
      return addresses.stream().map(DeviceAddress::pci).toList();
    }
  }

  /** {@code <numa node='0'/>}. */
  public record Numa(@JacksonXmlProperty(isAttribute = true) @Nullable Integer node) {}
}
