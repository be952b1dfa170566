package io.virtflux.pci;

import io.virtflux.libvirt.HostRef;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.PciAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A host's PCI devices, read from libvirt's node devices, each with the VM that has it: from the
 * XML of every domain on the host, running (live XML) or only defined (a defined VM claims its
 * device when it starts). Reading the domains each time, rather than trusting a record of past
 * deploys, keeps the table right after migrations and for VMs created elsewhere (the wrong-VM and
 * double-assignment bugs OpenNebula had).
 */
@Service
public class PciInventory {

  private final LibvirtGateway libvirt;

  PciInventory(LibvirtGateway libvirt) {
    this.libvirt = libvirt;
  }

  /** Every PCI device of the host, in address order. */
  public Mono<List<PciDevice>> devices(HostRef host) {
    return Mono.zip(libvirt.nodeDevices(host, "pci"), libvirt.domainXmls(host))
        .map(t -> table(t.getT1(), holders(t.getT2())));
  }

  /** Which VM has each host PCI address passed through. */
  private static Map<PciAddress, String> holders(Map<String, DomainXml> domains) {
    Map<PciAddress, String> held = new HashMap<>();
    domains.forEach(
        (vm, domain) ->
            domain.devicesOrEmpty().hostPciAddresses().forEach(a -> held.putIfAbsent(a, vm)));
    return held;
  }

  /** The table: one row per PCI function, with its holder. */
  static List<PciDevice> table(List<NodeDeviceXml> nodes, Map<PciAddress, String> holders) {
    List<PciDevice> out = new ArrayList<>();
    for (NodeDeviceXml node : nodes) {
      node.pci().ifPresent(cap -> out.add(device(node, cap, holders.get(cap.address()))));
    }
    out.sort(Comparator.comparing(PciDevice::address));
    return List.copyOf(out);
  }

  private static PciDevice device(
      NodeDeviceXml node,
      NodeDeviceXml.Capability cap,
      @org.jspecify.annotations.Nullable String vm) {
    String address = cap.address().toString();
    String vendor = hex4(cap.vendor() == null ? 0 : cap.vendor().number());
    String device = hex4(cap.product() == null ? 0 : cap.product().number());
    int code = cap.classCode();
    String pciClass = hex4(code < 0 ? 0 : code >> 8);
    String progIf = String.format(Locale.ROOT, "%02x", code < 0 ? 0 : code & 0xff);
    return new PciDevice(
        address,
        address.substring(5),
        vendor,
        device,
        pciClass,
        progIf,
        vendor + ":" + device + ":" + pciClass,
        name(cap),
        node.driverName(),
        cap.iommuGroup() == null ? null : cap.iommuGroup().number(),
        vm);
  }

  private static @org.jspecify.annotations.Nullable String name(NodeDeviceXml.Capability cap) {
    String vendor = cap.vendor() == null ? null : cap.vendor().value();
    String product = cap.product() == null ? null : cap.product().value();
    if (vendor == null && product == null) {
      return null;
    }
    return vendor == null ? product : product == null ? vendor : vendor + " " + product;
  }

  private static String hex4(int value) {
    return String.format(Locale.ROOT, "%04x", value & 0xffff);
  }
}
