package io.virtflux.host;

import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.XmlCodec;
import org.springframework.stereotype.Component;

/**
 * Reads what a host's capabilities say about hardware virtualization. libvirt lists domain type
 * {@code kvm} only when QEMU could use /dev/kvm when it probed, so this is a real answer rather
 * than "the device node exists" (on machines like this one, /dev/kvm exists and does not work).
 */
@Component
class HostCapabilities {

  private final XmlCodec xml;

  HostCapabilities(XmlCodec xml) {
    this.xml = xml;
  }

  boolean kvm(String capabilitiesXml) {
    return xml.read(capabilitiesXml, CapabilitiesXml.class).supportsKvm("x86_64");
  }
}
