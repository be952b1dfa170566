package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** {@code <clock offset='utc'/>}. */
public record ClockXml(@JacksonXmlProperty(isAttribute = true) @Nullable String offset) {}
