package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/**
 * {@code <memory unit='KiB'>262144</memory>}, also used for {@code <currentMemory>}. We write MiB;
 * libvirt answers in KiB.
 *
 * @param unit libvirt scaled-integer unit; absent means KiB
 */
public record MemoryXml(
    @JacksonXmlProperty(isAttribute = true) @Nullable String unit, @JacksonXmlText long value) {

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public MemoryXml {}

  /** {@code <memory>262144</memory>}: text without a unit attribute, meaning KiB. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static MemoryXml ofText(String text) {
    return new MemoryXml(null, Long.parseLong(text.trim()));
  }

  /** {@code <memory unit='MiB'>mib</memory>}. */
  public static MemoryXml mib(long mib) {
    return new MemoryXml("MiB", mib);
  }

  /** The size in KiB, whatever unit libvirt used. */
  public long toKib() {
    String u = unit == null ? "kib" : unit.toLowerCase(Locale.ROOT);
    return switch (u) {
      case "b", "bytes" -> value / 1024;
      case "kb" -> value * 1000 / 1024;
      case "k", "kib" -> value;
      case "mb" -> value * 1_000_000 / 1024;
      case "m", "mib" -> value * 1024;
      case "gb" -> value * 1_000_000_000 / 1024;
      case "g", "gib" -> value * 1024 * 1024;
      case "tb" -> value * 1_000_000_000_000L / 1024;
      case "t", "tib" -> value * 1024 * 1024 * 1024;
      default -> throw new IllegalArgumentException("unknown memory unit: " + unit);
    };
  }
}
