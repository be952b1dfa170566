package io.virtflux.vm;

/**
 * A VM in a listing.
 *
 * @param managed whether this service deployed it (it carries virtflux's metadata) or it was
 *     created elsewhere
 */
public record VmSummary(
    String name, String host, String state, int vcpu, long memoryMiB, boolean managed) {}
