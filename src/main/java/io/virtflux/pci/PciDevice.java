package io.virtflux.pci;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One PCI function of a host, as libvirt's node device XML describes it.
 *
 * @param address lspci notation with the domain, {@code 0000:00:03.0}
 * @param shortAddress without the domain, {@code 00:03.0}
 * @param vendor 4 hex digits, {@code 10de}
 * @param device 4 hex digits, {@code 11bf}
 * @param pciClass class and subclass, 4 hex digits ({@code 0300} from libvirt's {@code 0x030000})
 * @param progIf the programming interface, 2 hex digits: the class code's last byte ({@code 30}
 *     from {@code 0x0c0330}, a USB xHCI controller)
 * @param type {@code VENDOR:DEVICE:CLASS}, OpenNebula's TYPE
 * @param name vendor and product names, when libvirt's PCI id database knows them
 * @param driver the host driver bound now ({@code vfio-pci} for a device passed through)
 * @param iommuGroup the functions that can only be passed through together
 * @param vm the VM that has the device (running, or defined with it), or null when it is free
 */
public record PciDevice(
    String address,
    String shortAddress,
    String vendor,
    String device,
    @Schema(name = "class") @com.fasterxml.jackson.annotation.JsonProperty("class") String pciClass,
    String progIf,
    String type,
    @Nullable String name,
    @Nullable String driver,
    @Nullable Integer iommuGroup,
    @Nullable String vm) {

  /** Whether no VM has it. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean free() {
    return vm == null;
  }

  /** The same device, now held by {@code owner}. */
  public PciDevice heldBy(String owner) {
    return new PciDevice(
        address,
        shortAddress,
        vendor,
        device,
        pciClass,
        progIf,
        type,
        name,
        driver,
        iommuGroup,
        owner);
  }
}
