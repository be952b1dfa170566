package io.virtflux.libvirt.xml;

import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.dataformat.xml.ser.ToXmlGenerator;

/**
 * Writes an {@link XmlElement} with the XML generator's own calls, so escaping and namespace
 * handling are Jackson's and Woodstox's, not ours.
 *
 * <p>Quirks worked around here: the element name is forced with {@code setNextName} (a list
 * property would otherwise name every item after the property), and every attribute and child name
 * is set explicitly because {@code ToXmlGenerator.writeName} inherits the namespace of the previous
 * name. A prefix from the source fragment ({@code qemu:}) is bound before the element starts;
 * otherwise the repairing writer invents {@code wstxns1:}.
 *
 * <p>A non-XML generator (a JSON view of a domain) gets a plain object instead.
 */
public final class XmlElementSerializer extends ValueSerializer<XmlElement> {

  @Override
  public void serialize(XmlElement value, JsonGenerator gen, SerializationContext ctxt) {
    if (gen instanceof ToXmlGenerator xml) {
      writeXml(value, xml);
    } else {
      writeJson(value, gen);
    }
  }

  private static void writeXml(XmlElement e, ToXmlGenerator gen) {
    QName name = e.name();
    bindPrefix(gen, name);
    gen.setNextName(name);
    gen.writeStartObject();
    for (Map.Entry<QName, String> a : e.attributes().entrySet()) {
      gen.setNextIsAttribute(true);
      gen.writeName(a.getKey().getLocalPart());
      gen.setNextName(a.getKey());
      gen.writeString(a.getValue());
    }
    gen.setNextIsAttribute(false);
    if (e.text() != null) {
      gen.setNextIsUnwrapped(true);
      gen.writeName("value");
      gen.writeString(e.text());
      gen.setNextIsUnwrapped(false);
    }
    for (XmlElement child : e.children()) {
      gen.writeName(child.localName());
      writeXml(child, gen);
    }
    gen.writeEndObject();
  }

  private static void bindPrefix(ToXmlGenerator gen, QName name) {
    if (name.getNamespaceURI().isEmpty()) {
      return;
    }
    XMLStreamWriter writer = gen.getStaxWriter();
    try {
      if (name.getPrefix().isEmpty()) {
        writer.setDefaultNamespace(name.getNamespaceURI());
      } else {
        writer.setPrefix(name.getPrefix(), name.getNamespaceURI());
      }
    } catch (XMLStreamException ex) {
      throw new StreamWriteException(gen, "cannot bind namespace of " + name, ex);
    }
  }

  private static void writeJson(XmlElement e, JsonGenerator gen) {
    gen.writeStartObject();
    gen.writeStringProperty("element", e.name().toString());
    if (!e.attributes().isEmpty()) {
      gen.writeName("attributes");
      gen.writeStartObject();
      for (Map.Entry<QName, String> a : e.attributes().entrySet()) {
        gen.writeStringProperty(a.getKey().toString(), a.getValue());
      }
      gen.writeEndObject();
    }
    if (e.text() != null) {
      gen.writeStringProperty("text", e.text());
    }
    if (!e.children().isEmpty()) {
      gen.writeName("children");
      gen.writeStartArray();
      for (XmlElement child : e.children()) {
        writeJson(child, gen);
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }
}
