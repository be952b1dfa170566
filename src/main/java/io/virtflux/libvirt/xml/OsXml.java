package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/**
 * {@code <os>}: guest type, machine, direct kernel boot and the BIOS boot device list.
 *
 * @param boot {@code <boot dev='hd'/>} entries in order; empty when disks carry {@link BootOrder}
 */
public record OsXml(
    Type type,
    @Nullable String kernel,
    @Nullable String initrd,
    @Nullable String cmdline,
    @JacksonXmlProperty(localName = "boot") List<Boot> boot) {

  public OsXml {
    boot = boot == null ? List.of() : List.copyOf(boot);
  }

  /** {@code <type arch='x86_64' machine='pc'>hvm</type>}. */
  public record Type(
      @JacksonXmlProperty(isAttribute = true) @Nullable String arch,
      @JacksonXmlProperty(isAttribute = true) @Nullable String machine,
      @JacksonXmlText String value) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Type {}

    /** {@code <type>hvm</type>}: text without attributes. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Type ofText(String text) {
      return new Type(null, null, text);
    }
  }

  /** {@code <boot dev='hd'/>}: hd, cdrom, fd or network. */
  public record Boot(@JacksonXmlProperty(isAttribute = true) String dev) {}
}
