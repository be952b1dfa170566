package io.virtflux.libvirt.xml;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <interface type='user|network|bridge|ethernet'>}: a guest NIC.
 *
 * @param target host tap name; libvirt fills in {@code vnetN} when absent
 * @param script a script libvirt runs after creating the tap (ethernet and bridge types)
 * @param filterref an nwfilter applied to the tap
 * @param bandwidth traffic shaping on the tap
 */
@JacksonXmlRootElement(localName = "interface")
public record InterfaceXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @Nullable Mac mac,
    @Nullable Source source,
    @Nullable Target target,
    @Nullable Model model,
    @Nullable Script script,
    @Nullable FilterRef filterref,
    @Nullable BandwidthXml bandwidth,
    @Nullable BootOrder boot,
    @Nullable Alias alias,
    @Nullable DeviceAddress address)
    implements DeviceXml {

  /** The MAC address, or {@code null} when libvirt has not assigned one yet. */
  public @Nullable String macAddress() {
    return mac == null ? null : mac.address();
  }

  /** Only what identifies the NIC to libvirt for a detach: its type and MAC. */
  public InterfaceXml identity() {
    return new InterfaceXml(type, mac, null, null, null, null, null, null, null, null, null);
  }

  /** {@code <mac address='52:54:00:12:34:56'/>}. */
  public record Mac(@JacksonXmlProperty(isAttribute = true) String address) {}

  /**
   * {@code <source network='default'/>} or {@code <source bridge='br0'/>}; live XML adds {@code
   * portid} and the bridge a network resolved to.
   */
  public record Source(
      @JacksonXmlProperty(isAttribute = true) @Nullable String network,
      @JacksonXmlProperty(isAttribute = true) @Nullable String bridge,
      @JacksonXmlProperty(isAttribute = true) @Nullable String portid) {

    /** {@code <source network='name'/>}. */
    public static Source network(String name) {
      return new Source(name, null, null);
    }

    /** {@code <source bridge='name'/>}. */
    public static Source bridge(String name) {
      return new Source(null, name, null);
    }
  }

  /**
   * {@code <target dev='tap0' managed='no'/>}; {@code managed='no'} makes libvirt use a tap that
   * already exists instead of creating one.
   */
  public record Target(
      @JacksonXmlProperty(isAttribute = true) String dev,
      @JacksonXmlProperty(isAttribute = true) @Nullable String managed) {}

  /** {@code <model type='virtio'/>}. */
  public record Model(@JacksonXmlProperty(isAttribute = true) String type) {}

  /** {@code <script path='/etc/qemu-ifup'/>}. */
  public record Script(@JacksonXmlProperty(isAttribute = true) String path) {}

  /** {@code <filterref filter='clean-traffic'><parameter name='IP' value='...'/></filterref>}. */
  public record FilterRef(
      @JacksonXmlProperty(isAttribute = true) String filter,
      @JacksonXmlProperty(localName = "parameter") List<Parameter> parameters) {

    public FilterRef {
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** A filter without parameters. */
    public static FilterRef of(String filter) {
      return new FilterRef(filter, List.of());
    }
  }

  /** {@code <parameter name='IP' value='10.0.0.2'/>}. */
  public record Parameter(
      @JacksonXmlProperty(isAttribute = true) String name,
      @JacksonXmlProperty(isAttribute = true) String value) {}
}
