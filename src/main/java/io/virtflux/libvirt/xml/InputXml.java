package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <input type='mouse' bus='ps2'/>}; libvirt adds PS/2 mouse and keyboard to every x86 guest.
 */
public record InputXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable String bus,
    @Nullable Alias alias) {}
