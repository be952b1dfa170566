package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.BandwidthXml;
import io.virtflux.libvirt.xml.BootOrder;
import io.virtflux.libvirt.xml.CharDeviceXml;
import io.virtflux.libvirt.xml.ControllerXml;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.Flag;
import io.virtflux.libvirt.xml.GraphicsXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.libvirt.xml.IoTuneXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Turns resolved template attributes into device records. */
final class DeviceFactory {

  private DeviceFactory() {}

  /**
   * A disk: a {@code /dev/} source makes a block disk, anything else a file. The bus follows the
   * target prefix.
   */
  static DiskXml disk(VmTemplate.Disk d) {
    String target = d.target();
    DevPrefix prefix = DevPrefix.ofTarget(target).orElseThrow();
    String source = d.source();
    boolean block = source != null && source.startsWith("/dev/");
    DiskXml.Source src =
        source == null ? null : block ? DiskXml.Source.block(source) : DiskXml.Source.file(source);
    return new DiskXml(
        block ? "block" : "file",
        d.type(),
        new DiskXml.Driver("qemu", d.driver(), d.cache(), d.io(), d.discard()),
        src,
        new DiskXml.Target(target, prefix.bus()),
        iotune(d.iotune()),
        Flag.of(Boolean.TRUE.equals(d.readonly())),
        d.bootOrder() == null ? null : new BootOrder(d.bootOrder()),
        null,
        null);
  }

  /**
   * Always a virtio-scsi controller (so SCSI disks can be hotplugged into any VM we deployed) and
   * no USB controller; q35 machines also get spare PCIe root ports for hotplug.
   */
  static List<ControllerXml> controllers(@Nullable String machine, int rootPorts) {
    List<ControllerXml> out = new ArrayList<>();
    out.add(ControllerXml.of("scsi", 0, "virtio-scsi"));
    out.add(ControllerXml.of("usb", 0, "none"));
    if (machine != null && machine.contains("q35")) {
      for (int i = 0; i < rootPorts; i++) {
        out.add(ControllerXml.of("pci", null, "pcie-root-port"));
      }
    }
    return out;
  }

  /** A NIC with its MAC decided. */
  static InterfaceXml nic(VmTemplate.Nic n, String mac) {
    String type = n.type();
    InterfaceXml.Source source =
        switch (type) {
          case "network" -> InterfaceXml.Source.network(n.source());
          case "bridge" -> InterfaceXml.Source.bridge(n.source());
          default -> null;
        };
    return new InterfaceXml(
        type,
        new InterfaceXml.Mac(mac.toLowerCase(Locale.ROOT)),
        source,
        n.target() == null ? null : new InterfaceXml.Target(n.target(), null),
        new InterfaceXml.Model(n.model()),
        n.script() == null ? null : new InterfaceXml.Script(n.script()),
        n.filter() == null ? null : InterfaceXml.FilterRef.of(n.filter()),
        bandwidth(n.bandwidth()),
        null,
        null,
        null);
  }

  private static @Nullable IoTuneXml iotune(VmTemplate.@Nullable IoTune t) {
    return t == null
        ? null
        : new IoTuneXml(
            t.totalBytesSec(),
            t.readBytesSec(),
            t.writeBytesSec(),
            t.totalIopsSec(),
            t.readIopsSec(),
            t.writeIopsSec());
  }

  private static @Nullable BandwidthXml bandwidth(VmTemplate.@Nullable Bandwidth b) {
    return b == null ? null : new BandwidthXml(rate(b.inbound()), rate(b.outbound()));
  }

  private static BandwidthXml.@Nullable Rate rate(VmTemplate.@Nullable Rate r) {
    return r == null ? null : new BandwidthXml.Rate(r.average(), r.peak(), r.burst());
  }

  /** The serial port behind the console: a log file (appended to) or a pty. */
  static CharDeviceXml serial(VmTemplate.Console c) {
    return "pty".equals(c.type()) ? CharDeviceXml.ptySerial() : CharDeviceXml.fileSerial(c.path());
  }

  /** VNC or SPICE on one listen address; without a port libvirt picks a free one. */
  static GraphicsXml graphics(VmTemplate.Graphics g) {
    boolean auto = g.port() == null;
    return new GraphicsXml(
        g.type(),
        auto ? -1 : g.port(),
        auto ? "yes" : "no",
        List.of(new GraphicsXml.Listen("address", g.listen())),
        null);
  }
}
