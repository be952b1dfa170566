package io.virtflux.libvirt.xml;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Parses a RAW section ({@code <devices><serial type='pty'/></devices><features>...}) into {@link
 * XmlElement}s; also a whole document libvirt gave, where it must be edited without losing what the
 * typed model leaves out ({@link MovedDiskFiles}).
 *
 * <p>A RAW section is a fragment: zero or more sibling elements, no single root. Woodstox parses
 * fragments natively ({@code PARSING_MODE_FRAGMENT}), which spares us gluing a synthetic root
 * around user text. DTDs and external entities are off (no XXE), a DOCTYPE is refused, comments and
 * processing instructions are dropped, and mixed content is refused because libvirt's schema has
 * none.
 */
public final class XmlFragment {

  private static final XMLInputFactory FACTORY = newFactory();

  private XmlFragment() {}

  /**
   * The top-level elements of {@code xml}, in order.
   *
   * @throws XmlFragmentException when {@code xml} is not a well-formed fragment
   */
  public static List<XmlElement> parse(String xml) {
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.createXMLStreamReader(new StringReader(xml));
      return read(reader);
    } catch (XMLStreamException ex) {
      throw malformed(ex);
    } finally {
      close(reader);
    }
  }

  /**
   * The root element of a whole document, such as libvirt's XML of a domain, with everything in it
   * (what the typed model would leave out too).
   *
   * @throws XmlFragmentException when {@code xml} is not well-formed or has no single root
   */
  public static XmlElement document(String xml) {
    List<XmlElement> top = parse(xml);
    if (top.size() != 1) {
      throw new XmlFragmentException("not one document: " + top.size() + " top-level elements");
    }
    return top.get(0);
  }

  private static XmlFragmentException malformed(XMLStreamException ex) {
    // Woodstox appends the location on further lines; keep one line for a field violation
    String reason = ex.getMessage() == null ? "" : ex.getMessage().lines().findFirst().orElse("");
    Location at = ex.getLocation();
    String where =
        at == null ? "" : " (line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ")";
    return new XmlFragmentException("not well-formed XML: " + reason + where, ex);
  }

  private static List<XmlElement> read(XMLStreamReader r) throws XMLStreamException {
    List<XmlElement> top = new ArrayList<>();
    Deque<Building> open = new ArrayDeque<>();
    while (r.hasNext()) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> open.push(start(r));
        case XMLStreamConstants.END_ELEMENT -> {
          XmlElement done = open.pop().build(r.getLocation());
          if (open.isEmpty()) {
            top.add(done);
          } else {
            open.peek().children.add(done);
          }
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text(r, open);
        case XMLStreamConstants.DTD -> throw refused("a DOCTYPE", r.getLocation());
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw refused("an undeclared entity", r.getLocation());
        default -> {
          // comments, processing instructions, document start/end: nothing libvirt needs
        }
      }
    }
    return List.copyOf(top);
  }

  private static Building start(XMLStreamReader r) {
    Map<QName, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < r.getAttributeCount(); i++) {
      attributes.put(r.getAttributeName(i), r.getAttributeValue(i));
    }
    return new Building(r.getName(), attributes);
  }

  private static void text(XMLStreamReader r, Deque<Building> open) {
    String text = r.getText();
    if (open.isEmpty()) {
      if (!text.isBlank()) {
        throw refused("text outside of an element", r.getLocation());
      }
      return;
    }
    open.peek().text.append(text);
  }

  private static XmlFragmentException refused(String what, Location at) {
    return new XmlFragmentException(
        what
            + " is not allowed (line "
            + at.getLineNumber()
            + ", column "
            + at.getColumnNumber()
            + ")");
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = new WstxInputFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setProperty(
        WstxInputProperties.P_INPUT_PARSING_MODE, WstxInputProperties.PARSING_MODE_FRAGMENT);
    // parse each event whole on next(): lazily, a malformed text would only fail in getText(),
    // wrapped in a RuntimeException rather than the XMLStreamException parse() turns into a 400
    f.setProperty(WstxInputProperties.P_LAZY_PARSING, false);
    return f;
  }

  private static void close(@Nullable XMLStreamReader reader) {
    if (reader == null) {
      return;
    }
    try {
      reader.close();
    } catch (XMLStreamException ignored) {
      // a string reader holds nothing worth reporting
    }
  }

  /** An element whose end tag has not been read yet. */
  private static final class Building {
    final QName name;
    final Map<QName, String> attributes;
    final List<XmlElement> children = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    Building(QName name, Map<QName, String> attributes) {
      this.name = name;
      this.attributes = attributes;
    }

    XmlElement build(Location at) {
      String t = text.toString();
      if (children.isEmpty()) {
        return new XmlElement(name, attributes, List.of(), t.isBlank() ? null : t);
      }
      if (!t.isBlank()) {
        throw refused("mixed text and elements in <" + name.getLocalPart() + ">", at);
      }
      return new XmlElement(name, attributes, children, null);
    }
  }
}
