package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/** {@code <vcpu placement='static'>2</vcpu>}: the number of virtual CPUs. */
public record VcpuXml(
    @JacksonXmlProperty(isAttribute = true) @Nullable String placement,
    @JacksonXmlProperty(isAttribute = true) @Nullable Integer current,
    @JacksonXmlText int value) {

  /** {@code <vcpu>count</vcpu>}. */
  public static VcpuXml of(int count) {
    return new VcpuXml(null, null, count);
  }
}
