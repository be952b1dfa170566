package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <bandwidth><inbound average='1000' peak='2000' burst='512'/><outbound .../></bandwidth>}
 * of a NIC: traffic shaping on its host tap, as seen from the guest (inbound = to the guest).
 */
public record BandwidthXml(@Nullable Rate inbound, @Nullable Rate outbound) {

  /**
   * One direction.
   *
   * @param average KiB/s
   * @param peak KiB/s, allowed while the burst lasts
   * @param burst KiB sent at peak speed
   */
  public record Rate(
      @JacksonXmlProperty(isAttribute = true) long average,
      @JacksonXmlProperty(isAttribute = true) @Nullable Long peak,
      @JacksonXmlProperty(isAttribute = true) @Nullable Long burst) {}
}
