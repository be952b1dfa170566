package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** {@code <memballoon model='none'/>}: libvirt adds a virtio balloon unless told otherwise. */
public record MemballoonXml(
    @JacksonXmlProperty(isAttribute = true) String model,
    @Nullable Alias alias,
    @Nullable DeviceAddress address) {

  /** {@code <memballoon model='model'/>}. */
  public static MemballoonXml of(String model) {
    return new MemballoonXml(model, null, null);
  }
}
