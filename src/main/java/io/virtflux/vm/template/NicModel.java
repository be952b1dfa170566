package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The NIC models QEMU's x86 machines offer and the service accepts (libvirt passes the name through
 * to QEMU); others are refused.
 */
@Schema(enumAsRef = true)
public enum NicModel implements WireValue {
  VIRTIO("virtio"),
  VIRTIO_TRANSITIONAL("virtio-transitional"),
  VIRTIO_NON_TRANSITIONAL("virtio-non-transitional"),
  E1000("e1000"),
  E1000E("e1000e"),
  RTL8139("rtl8139"),
  NE2K_PCI("ne2k_pci"),
  PCNET("pcnet"),
  I82550("i82550"),
  I82551("i82551"),
  I82557B("i82557b"),
  I82559ER("i82559er"),
  VMXNET3("vmxnet3");

  private final String wire;

  NicModel(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }
}
