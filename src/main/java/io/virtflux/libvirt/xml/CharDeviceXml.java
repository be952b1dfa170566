package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * A character device: {@code <serial>}, {@code <console>} or {@code <channel>} (the element name
 * comes from the {@link DevicesXml} list holding it).
 *
 * <pre>{@code
 * <serial type='file'><source path='/ds/vm.serial.log' append='on'/><target port='0'/></serial>
 * <channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
 * }</pre>
 *
 * @param type file, pty, unix, …
 * @param tty the pty path of a {@code <console type='pty'>} in live XML
 */
public record CharDeviceXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable String tty,
    @Nullable Source source,
    @Nullable Target target,
    @Nullable Alias alias,
    @Nullable DeviceAddress address) {

  /** The virtio channel name of the QEMU guest agent. */
  public static final String GUEST_AGENT_CHANNEL = "org.qemu.guest_agent.0";

  /**
   * {@code <serial type='file'>} appending to {@code path}: after a migration the destination QEMU
   * keeps writing to the same log instead of truncating it.
   */
  public static CharDeviceXml fileSerial(String path) {
    return new CharDeviceXml(
        "file", null, new Source(path, "on", null), Target.port(0), null, null);
  }

  /** {@code <serial type='pty'>}: libvirt allocates the pty. */
  public static CharDeviceXml ptySerial() {
    return new CharDeviceXml("pty", null, null, Target.port(0), null, null);
  }

  /** The guest agent's virtio channel; libvirt chooses the unix socket path. */
  public static CharDeviceXml guestAgentChannel() {
    return new CharDeviceXml(
        "unix",
        null,
        new Source(null, null, "bind"),
        new Target("virtio", null, GUEST_AGENT_CHANNEL, null),
        null,
        null);
  }

  /**
   * {@code <source path='...' append='on' mode='bind'/>}.
   *
   * @param append {@code on} keeps the file's content when QEMU opens it
   * @param mode bind or connect, for unix sockets
   */
  public record Source(
      @JacksonXmlProperty(isAttribute = true) @Nullable String path,
      @JacksonXmlProperty(isAttribute = true) @Nullable String append,
      @JacksonXmlProperty(isAttribute = true) @Nullable String mode) {}

  /**
   * {@code <target type='virtio' port='0' name='...' state='connected'/>}.
   *
   * @param state guest agent connection state, live XML only
   */
  public record Target(
      @JacksonXmlProperty(isAttribute = true) @Nullable String type,
      @JacksonXmlProperty(isAttribute = true) @Nullable Integer port,
      @JacksonXmlProperty(isAttribute = true) @Nullable String name,
      @JacksonXmlProperty(isAttribute = true) @Nullable String state) {

    /** {@code <target port='n'/>}. */
    public static Target port(int port) {
      return new Target(null, port, null, null);
    }
  }
}
