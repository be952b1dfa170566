package io.virtflux.libvirt;

import io.virtflux.libvirt.xml.CapabilitiesXml;

/**
 * Facts read from a host when it is probed. Probing is comparatively slow (virConnectGetVersion
 * makes libvirtd refresh QEMU capabilities), so callers cache the result rather than asking per
 * request.
 *
 * @param hypervisorVersion e.g. "7.2.0" (QEMU)
 * @param libvirtVersion e.g. "9.0.0" (the daemon's)
 * @param memoryKiB total memory in KiB
 * @param freeMemoryKiB free memory in KiB
 * @param capabilities virConnectGetCapabilities, parsed: KVM support, host UUID, CPU
 */
public record HostFacts(
    String hostname,
    String hypervisorType,
    String hypervisorVersion,
    String libvirtVersion,
    String cpuModel,
    int cpus,
    int cpuMhz,
    long memoryKiB,
    long freeMemoryKiB,
    int domains,
    CapabilitiesXml capabilities) {}
