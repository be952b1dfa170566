package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <controller type='scsi' index='0' model='virtio-scsi'/>}.
 *
 * <p>Live XML of a PCI controller carries both a {@code model} attribute and a {@code <model
 * name='...'/>} child. Jackson XML cannot tell the two apart and lets the child overwrite the
 * attribute with an empty string, so {@link XmlCodec} reads this record through {@link
 * AttributeWinsDeserializer}, which keeps the attribute.
 *
 * @param index absent lets libvirt pick the next free one
 */
@JacksonXmlRootElement(localName = "controller")
public record ControllerXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable Integer index,
    @JacksonXmlProperty(isAttribute = true) @Nullable String model,
    @Nullable Alias alias,
    @Nullable DeviceAddress address) {

  /** A controller of this type and model; libvirt assigns index and address. */
  public static ControllerXml of(String type, @Nullable Integer index, @Nullable String model) {
    return new ControllerXml(type, index, model, null, null);
  }
}
