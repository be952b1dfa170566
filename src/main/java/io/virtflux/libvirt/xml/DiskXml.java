package io.virtflux.libvirt.xml;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <disk type='file' device='disk'>}: a disk, cdrom or floppy. The root element name is set
 * so that one disk serializes on its own for {@code attachDevice}.
 *
 * @param type file, block or network
 * @param device disk, cdrom or floppy
 * @param iotune I/O limits
 * @param alias assigned by libvirt, present in live XML only
 * @param address assigned by libvirt unless pinned
 */
@JacksonXmlRootElement(localName = "disk")
public record DiskXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable String device,
    @Nullable Driver driver,
    @Nullable Source source,
    @Nullable Target target,
    @Nullable IoTuneXml iotune,
    @Nullable Flag readonly,
    @Nullable BootOrder boot,
    @Nullable Alias alias,
    @Nullable DeviceAddress address)
    implements DeviceXml {

  /** The target device name ({@code vda}), or {@code null} when libvirt gave none. */
  public @Nullable String targetDev() {
    return target == null ? null : target.dev();
  }

  /** Whether the guest sees the disk read-only. */
  public boolean isReadonly() {
    return Flag.isOn(readonly);
  }

  /**
   * A copy with another medium ({@code null} ejects it): what {@code updateDevice} takes to change
   * a cdrom's medium. The alias stays, so that libvirt finds the drive; the address goes.
   */
  public DiskXml withMedium(@Nullable String path) {
    return new DiskXml(
        "file",
        device,
        driver,
        path == null ? null : Source.file(path),
        target,
        null,
        readonly,
        null,
        null,
        null);
  }

  /** Only what identifies the disk to libvirt for a detach: its target (and type and device). */
  public DiskXml identity() {
    Source plain =
        source == null
            ? null
            : new Source(
                source.file(),
                source.dev(),
                source.protocol(),
                source.name(),
                null,
                source.hosts());
    return new DiskXml(type, device, null, plain, target, null, null, null, null, null);
  }

  /**
   * {@code <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>}.
   *
   * @param type image format: raw, qcow2, …
   */
  public record Driver(
      @JacksonXmlProperty(isAttribute = true) @Nullable String name,
      @JacksonXmlProperty(isAttribute = true) @Nullable String type,
      @JacksonXmlProperty(isAttribute = true) @Nullable String cache,
      @JacksonXmlProperty(isAttribute = true) @Nullable String io,
      @JacksonXmlProperty(isAttribute = true) @Nullable String discard) {}

  /**
   * {@code <source file='...'/>}, {@code <source dev='...'/>} or {@code <source protocol='nbd'
   * name='...'><host name='...' port='...'/></source>}.
   *
   * @param index libvirt's backing-chain index, live XML only
   */
  public record Source(
      @JacksonXmlProperty(isAttribute = true) @Nullable String file,
      @JacksonXmlProperty(isAttribute = true) @Nullable String dev,
      @JacksonXmlProperty(isAttribute = true) @Nullable String protocol,
      @JacksonXmlProperty(isAttribute = true) @Nullable String name,
      @JacksonXmlProperty(isAttribute = true) @Nullable Integer index,
      @JacksonXmlProperty(localName = "host") List<Host> hosts) {

    public Source {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** {@code <source file='path'/>}. */
    public static Source file(String path) {
      return new Source(path, null, null, null, null, List.of());
    }

    /** {@code <source dev='path'/>}. */
    public static Source block(String path) {
      return new Source(null, path, null, null, null, List.of());
    }

    /** The host path of a file or block source, else {@code null}. */
    public @Nullable String path() {
      return file != null ? file : dev;
    }
  }

  /** {@code <host name='10.0.0.1' port='10809'/>} of a network source. */
  public record Host(
      @JacksonXmlProperty(isAttribute = true) @Nullable String name,
      @JacksonXmlProperty(isAttribute = true) @Nullable String port,
      @JacksonXmlProperty(isAttribute = true) @Nullable String transport,
      @JacksonXmlProperty(isAttribute = true) @Nullable String socket) {}

  /** {@code <target dev='vda' bus='virtio'/>}. */
  public record Target(
      @JacksonXmlProperty(isAttribute = true) String dev,
      @JacksonXmlProperty(isAttribute = true) @Nullable String bus) {}
}
