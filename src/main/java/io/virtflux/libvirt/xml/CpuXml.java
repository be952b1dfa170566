package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/**
 * {@code <cpu mode='host-passthrough'/>} or, in live XML, {@code <cpu mode='custom'
 * match='exact'><model fallback='forbid'>qemu64</model></cpu>}.
 */
public record CpuXml(
    @JacksonXmlProperty(isAttribute = true) @Nullable String mode,
    @JacksonXmlProperty(isAttribute = true) @Nullable String match,
    @JacksonXmlProperty(isAttribute = true) @Nullable String check,
    @Nullable Model model) {

  /** {@code <cpu mode='mode'/>}. */
  public static CpuXml mode(String mode) {
    return new CpuXml(mode, null, null, null);
  }

  /** {@code <model fallback='forbid'>qemu64</model>}. */
  public record Model(
      @JacksonXmlProperty(isAttribute = true) @Nullable String fallback,
      @JacksonXmlText String value) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Model {}

    /** {@code <model>qemu64</model>}: text without attributes. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Model ofText(String text) {
      return new Model(null, text);
    }
  }
}
