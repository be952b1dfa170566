package io.virtflux.libvirt;

/**
 * What libvirt says about one domain right now.
 *
 * @param memoryKiB current memory in KiB
 * @param persistent whether the domain is defined (survives a shutdown)
 * @param hasManagedSave whether libvirt holds a managed-save image for it
 * @param managed whether this service deployed it (it carries the {@link ManagedMark})
 */
public record DomainStatus(
    String name,
    String uuid,
    VmState state,
    int vcpus,
    long memoryKiB,
    boolean persistent,
    boolean hasManagedSave,
    boolean managed) {}
