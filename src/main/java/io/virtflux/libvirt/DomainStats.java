package io.virtflux.libvirt;

/**
 * What virDomainGetInfo says about one domain: its state and what it uses.
 *
 * @param cpuTimeNs CPU time the domain has used, in nanoseconds
 * @param memoryKiB memory it has now (the balloon's current size)
 * @param maxMemoryKiB the most it may have
 */
public record DomainStats(
    String name, VmState state, long cpuTimeNs, long memoryKiB, long maxMemoryKiB, int vcpus) {}
