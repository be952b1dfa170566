package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;
import tools.jackson.dataformat.xml.XmlWriteFeature;

/**
 * Reads and writes the libvirt XML model with one configured {@link XmlMapper}. Thread-safe; one
 * instance serves the whole application (it is a Spring bean, and plain code may simply {@code new}
 * one). Only the libvirt adapter uses it: features hand the gateway typed records and get typed
 * records back, so what they build is what libvirt gets (ArchitectureTest holds them to it).
 *
 * <p>Configuration and why:
 *
 * <ul>
 *   <li>unknown elements and attributes are ignored, so full live XML ({@code dumpxml}) parses;
 *   <li>lists are unwrapped by default: libvirt repeats elements without a wrapper;
 *   <li>text content maps to a component named {@code value} (see the package notes);
 *   <li>null and empty components are left out: an absent element means "libvirt's default";
 *   <li>only record components are properties: Jackson would otherwise also write helper methods
 *       such as {@code isReadonly()} as elements, so getters are invisible and fields visible;
 *   <li>empty records ({@link Flag}) are written as empty elements instead of failing;
 *   <li>no XML declaration, indented output (libvirt does not care; people reading logs do);
 *   <li>DTDs and external entities are off when reading (no XXE): libvirt's answers never carry a
 *       DOCTYPE, and a document that does is refused rather than resolved. Jackson's defaults say
 *       the same today; stating it here keeps it true if they change.
 * </ul>
 */
@Component
public final class XmlCodec {

  private final XmlMapper mapper;

  public XmlCodec() {
    this.mapper =
        XmlMapper.builder(XmlFactory.builder().xmlInputFactory(withoutDtds()).build())
            .defaultUseWrapper(false)
            .nameForTextElement("value")
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(XmlWriteFeature.WRITE_XML_DECLARATION)
            .changeDefaultVisibility(
                vis ->
                    vis.withFieldVisibility(JsonAutoDetect.Visibility.ANY)
                        .withGetterVisibility(JsonAutoDetect.Visibility.NONE)
                        .withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
            .changeDefaultPropertyInclusion(
                incl ->
                    JsonInclude.Value.construct(
                        JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY))
            .addModule(collisionFixes())
            .build();
  }

  /**
   * Serializes a model record ({@link DomainXml}, or a single {@link DiskXml}, {@link
   * InterfaceXml}, {@link HostdevXml} for device hotplug) to XML.
   */
  public String write(Object value) {
    return mapper.writeValueAsString(value);
  }

  /**
   * Serializes {@code value} under another root element name, for records used under several names
   * ({@link CharDeviceXml} as {@code serial}, {@code console} or {@code channel}).
   */
  public String write(Object value, String rootElement) {
    return mapper.writer().withRootName(rootElement).writeValueAsString(value);
  }

  /**
   * Parses libvirt XML into a model record, ignoring what the model leaves out.
   *
   * @throws tools.jackson.core.JacksonException when the XML is malformed or does not fit the model
   */
  public <T> T read(String xml, Class<T> type) {
    return mapper.readValue(xml, type);
  }

  private static XMLInputFactory withoutDtds() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }

  private static SimpleModule collisionFixes() {
    SimpleModule module = new SimpleModule("libvirt-xml-collisions");
    module.setDeserializerModifier(
        new ValueDeserializerModifier() {
          @Override
          public ValueDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription.Supplier beanDesc,
              ValueDeserializer<?> deserializer) {
            if (beanDesc.getBeanClass() == ControllerXml.class) {
              return new AttributeWinsDeserializer(deserializer, Set.of("model"));
            }
            return deserializer;
          }
        });
    return module;
  }
}
