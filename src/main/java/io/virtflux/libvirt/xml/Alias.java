package io.virtflux.libvirt.xml;

import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <alias name='virtio-disk0'/>}: the device id libvirt assigns in live XML (or a user-chosen
 * {@code ua-} prefixed one).
 */
public record Alias(@JacksonXmlProperty(isAttribute = true) String name) {}
