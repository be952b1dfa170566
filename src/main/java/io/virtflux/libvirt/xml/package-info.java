/**
 * The typed libvirt XML model: immutable records with Jackson XML annotations, read and written by
 * one {@link io.virtflux.libvirt.xml.XmlCodec}.
 *
 * <p>Records model what virtflux writes or reads. Reading tolerates everything else libvirt puts
 * into live XML (unknown elements and attributes are ignored), so {@code virsh dumpxml} output of
 * any running domain parses. Conventions that the Jackson XML module forces on the model:
 *
 * <ul>
 *   <li>an element with attributes and text names its text component {@code value} (records with
 *       {@code @JacksonXmlText} only deserialize when the text has a real property name; the codec
 *       sets {@code nameForTextElement("value")});
 *   <li>such a record also has a delegating {@code String} creator: the same element without
 *       attributes ({@code <vcpu>2</vcpu>}) reaches the deserializer as a plain string;
 *   <li>repeated elements are unwrapped lists (libvirt never wraps them);
 *   <li>an empty marker element ({@code <acpi/>}, {@code <readonly/>}) is a {@link
 *       io.virtflux.libvirt.xml.Flag};
 *   <li>PCI address parts stay strings in {@link io.virtflux.libvirt.xml.DeviceAddress} (libvirt
 *       writes {@code 0x}-prefixed hex) and become numbers only in {@link
 *       io.virtflux.libvirt.xml.PciAddress}.
 * </ul>
 */
@NullMarked
package io.virtflux.libvirt.xml;

import org.jspecify.annotations.NullMarked;
