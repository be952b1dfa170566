package io.virtflux.libvirt.xml;

import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * Per-device {@code <boot order='1'/>}. libvirt refuses it together with {@code <os><boot
 * dev=.../>}.
 */
public record BootOrder(@JacksonXmlProperty(isAttribute = true) int order) {}
