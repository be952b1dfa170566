package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/** {@code <vcpu placement='static'>2</vcpu>}: the number of virtual CPUs. */
public record VcpuXml(
    @JacksonXmlProperty(isAttribute = true) @Nullable String placement,
    @JacksonXmlProperty(isAttribute = true) @Nullable Integer current,
    @JacksonXmlText int value) {

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public VcpuXml {}

  /** {@code <vcpu>2</vcpu>}: text without attributes. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static VcpuXml ofText(String text) {
    return of(Integer.parseInt(text.trim()));
  }

  /** {@code <vcpu>count</vcpu>}. */
  public static VcpuXml of(int count) {
    return new VcpuXml(null, null, count);
  }
}
