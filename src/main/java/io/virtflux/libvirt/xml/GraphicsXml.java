package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <graphics type='vnc' port='-1' autoport='yes'><listen type='address'
 * address='127.0.0.1'/></graphics>}.
 *
 * <p>libvirt writes the first listen address twice, as a {@code listen} attribute and as a {@code
 * <listen>} child; Jackson XML sees both as one property. We write only the child. On read, the
 * attribute becomes a {@link Listen} through {@link Listen#ofAddress(String)} and the children,
 * read last, replace it.
 *
 * @param port -1 with {@code autoport='yes'} lets libvirt choose
 */
@JacksonXmlRootElement(localName = "graphics")
public record GraphicsXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable Integer port,
    @JacksonXmlProperty(isAttribute = true) @Nullable String autoport,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @JacksonXmlProperty(localName = "listen")
        List<Listen> listens,
    @Nullable Alias alias) {

  public GraphicsXml {
    listens = listens == null ? List.of() : List.copyOf(listens);
  }

  /** {@code <listen type='address' address='...'/>}. */
  public record Listen(
      @JacksonXmlProperty(isAttribute = true) String type,
      @JacksonXmlProperty(isAttribute = true) @Nullable String address) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Listen {}

    /** A listen element for the legacy {@code listen='addr'} attribute. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Listen ofAddress(String address) {
      return new Listen("address", address);
    }
  }
}
