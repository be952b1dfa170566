package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <iotune>} of a disk: QEMU's I/O throttling, per disk. A total limit and the matching
 * read/write limits exclude each other (libvirt refuses both).
 */
public record IoTuneXml(
    @JacksonXmlProperty(localName = "total_bytes_sec") @Nullable Long totalBytesSec,
    @JacksonXmlProperty(localName = "read_bytes_sec") @Nullable Long readBytesSec,
    @JacksonXmlProperty(localName = "write_bytes_sec") @Nullable Long writeBytesSec,
    @JacksonXmlProperty(localName = "total_iops_sec") @Nullable Long totalIopsSec,
    @JacksonXmlProperty(localName = "read_iops_sec") @Nullable Long readIopsSec,
    @JacksonXmlProperty(localName = "write_iops_sec") @Nullable Long writeIopsSec) {}
