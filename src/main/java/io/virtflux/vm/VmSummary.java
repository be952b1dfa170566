package io.virtflux.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.libvirt.VmState;

/**
 * A VM in a listing.
 *
 * @param managed whether this service deployed it (it carries virtflux's metadata) or it was
 *     created elsewhere
 */
public record VmSummary(
    String name,
    String host,
    @Schema(enumAsRef = true) VmState state,
    int vcpu,
    long memoryMiB,
    boolean managed) {}
