package io.virtflux.libvirt.xml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * An untyped XML element: what a template's RAW section contributes to a domain. Parsed by {@link
 * XmlFragment} and written by {@link XmlElementSerializer} through the same generator as the typed
 * model, so names, attribute values and text are escaped like everything else.
 *
 * @param attributes in document order
 * @param text the text of a leaf element; {@code null} for elements with children (mixed content is
 *     refused when parsing)
 */
@JsonSerialize(using = XmlElementSerializer.class)
public record XmlElement(
    QName name, Map<QName, String> attributes, List<XmlElement> children, @Nullable String text) {

  public XmlElement {
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = children == null ? List.of() : List.copyOf(children);
  }

  /** The local name, without namespace. */
  public String localName() {
    return name.getLocalPart();
  }

  /** Whether the element is in a namespace (e.g. {@code qemu:commandline}). */
  public boolean isNamespaced() {
    return !name.getNamespaceURI().isEmpty();
  }
}
