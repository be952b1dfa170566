package io.virtflux.libvirt.xml;

/**
 * One device element that libvirt takes on its own ({@code virDomainAttachDeviceFlags} and its
 * detach and update siblings): a disk, a NIC or a host device. Each record sets its root element
 * name, so it is written as that element.
 */
public sealed interface DeviceXml permits DiskXml, InterfaceXml, HostdevXml {}
