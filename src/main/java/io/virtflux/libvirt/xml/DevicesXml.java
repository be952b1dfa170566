package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <devices>}. Components follow libvirt's own element order, so what we write reads like
 * what {@code virsh dumpxml} prints.
 *
 * <p>Caveat when reading: Jackson XML keeps only the last run of a repeated element when other
 * elements interleave ({@code <disk/><controller/><disk/>} yields one disk). libvirt always groups
 * devices by kind, so its output is safe; hand-written XML may not be.
 *
 * @param extra elements merged in from a template's RAW section, written after everything else and
 *     never read back (they reappear as typed devices or are ignored)
 */
@JsonIgnoreProperties(value = "extra", allowGetters = true)
public record DevicesXml(
    @Nullable String emulator,
    @JacksonXmlProperty(localName = "disk") List<DiskXml> disks,
    @JacksonXmlProperty(localName = "controller") List<ControllerXml> controllers,
    @JacksonXmlProperty(localName = "interface") List<InterfaceXml> interfaces,
    @JacksonXmlProperty(localName = "serial") List<CharDeviceXml> serials,
    @JacksonXmlProperty(localName = "console") List<CharDeviceXml> consoles,
    @JacksonXmlProperty(localName = "channel") List<CharDeviceXml> channels,
    @JacksonXmlProperty(localName = "input") List<InputXml> inputs,
    @JacksonXmlProperty(localName = "graphics") List<GraphicsXml> graphics,
    @JacksonXmlProperty(localName = "hostdev") List<HostdevXml> hostdevs,
    @Nullable MemballoonXml memballoon,
    List<XmlElement> extra) {

  public DevicesXml {
    disks = copy(disks);
    controllers = copy(controllers);
    interfaces = copy(interfaces);
    serials = copy(serials);
    consoles = copy(consoles);
    channels = copy(channels);
    inputs = copy(inputs);
    graphics = copy(graphics);
    hostdevs = copy(hostdevs);
    extra = copy(extra);
  }

  /** No devices at all. */
  public static DevicesXml empty() {
    return new DevicesXml(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The disk with this target device ({@code vdb}), if any. */
  public Optional<DiskXml> diskByTarget(String dev) {
    return disks.stream().filter(d -> dev.equals(d.targetDev())).findFirst();
  }

  /** The target device names in use ({@code vda}, {@code sda}, …). */
  public List<String> diskTargets() {
    List<String> targets = new ArrayList<>();
    for (DiskXml d : disks) {
      if (d.targetDev() != null) {
        targets.add(d.targetDev());
      }
    }
    return List.copyOf(targets);
  }

  /** The NIC with this MAC address (compared case-insensitively), if any. */
  public Optional<InterfaceXml> interfaceByMac(String mac) {
    String wanted = mac.toLowerCase(Locale.ROOT);
    return interfaces.stream()
        .filter(i -> i.macAddress() != null)
        .filter(i -> wanted.equals(i.macAddress().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** The PCI functions of the host passed through to this guest. */
  public List<PciAddress> hostPciAddresses() {
    List<PciAddress> out = new ArrayList<>();
    for (HostdevXml h : hostdevs) {
      PciAddress a = h.hostPciAddress();
      if (a != null) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /** A copy with these disks instead of the current ones. */
  public DevicesXml withDisks(List<DiskXml> newDisks) {
    return copy(emulator, newDisks, hostdevs, memballoon, extra);
  }

  /** A copy with these host devices added to the current ones. */
  public DevicesXml withHostdevs(List<HostdevXml> more) {
    return copy(emulator, disks, concat(hostdevs, more), memballoon, extra);
  }

  /** A copy with these extra (RAW) elements appended. */
  public DevicesXml withExtra(List<XmlElement> more) {
    return copy(emulator, disks, hostdevs, memballoon, concat(extra, more));
  }

  /**
   * A copy without the typed singleton element named {@code element} ({@code emulator} or {@code
   * memballoon}), so that a RAW replacement is not a duplicate. Other names leave it unchanged.
   */
  public DevicesXml withoutSingleton(String element) {
    return switch (element) {
      case "emulator" -> copy(null, disks, hostdevs, memballoon, extra);
      case "memballoon" -> copy(emulator, disks, hostdevs, null, extra);
      default -> this;
    };
  }

  /** This with the parts that copies change replaced, everything else kept. */
  private DevicesXml copy(
      @Nullable String newEmulator,
      List<DiskXml> newDisks,
      List<HostdevXml> newHostdevs,
      @Nullable MemballoonXml newMemballoon,
      List<XmlElement> newExtra) {
    return new DevicesXml(
        newEmulator,
        newDisks,
        controllers,
        interfaces,
        serials,
        consoles,
        channels,
        inputs,
        graphics,
        newHostdevs,
        newMemballoon,
        newExtra);
  }

  private static <T> List<T> concat(List<T> a, List<? extends T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static <T> List<T> copy(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
