package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges RAW elements into a built domain.
 *
 * <ul>
 *   <li>Children of a top-level {@code <devices>} are appended to the domain's devices, after the
 *       generated ones; a RAW {@code <memballoon>} or {@code <emulator>} replaces the generated one
 *       (libvirt allows one of each).
 *   <li>Any other top-level element replaces the generated element of the same name ({@code <cpu
 *       mode='host-model'/>}, {@code <features>}…) or, when there is none, is appended to {@code
 *       <domain>}.
 * </ul>
 *
 * OpenNebula pasted RAW text at the end of the domain; duplicates then depended on which copy
 * libvirt's XPath found first. Replacing makes the outcome explicit.
 */
final class RawMerge {

  private RawMerge() {}

  static DomainXml merge(DomainXml domain, List<XmlElement> raw) {
    if (raw.isEmpty()) {
      return domain;
    }
    List<XmlElement> top = new ArrayList<>();
    List<XmlElement> devices = new ArrayList<>();
    for (XmlElement e : raw) {
      if (!e.isNamespaced() && "devices".equals(e.localName())) {
        devices.addAll(e.children());
      } else {
        top.add(e);
      }
    }
    DomainXml out = domain;
    for (XmlElement e : top) {
      if (!e.isNamespaced()) {
        out = out.withoutElement(e.localName());
      }
    }
    DevicesXml merged = out.devicesOrEmpty();
    for (XmlElement e : devices) {
      if (!e.isNamespaced()) {
        merged = merged.withoutSingleton(e.localName());
      }
    }
    return out.withDevices(merged.withExtra(devices)).withExtra(top);
  }
}
