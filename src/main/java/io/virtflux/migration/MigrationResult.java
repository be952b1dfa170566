package io.virtflux.migration;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.libvirt.VmState;

/**
 * What a migration that SUCCEEDED did.
 *
 * @param vm the VM
 * @param source the host it left
 * @param destination the host it runs (or, cold, is defined) on now
 * @param mode {@code peer-to-peer} or {@code managed}
 * @param live whether memory was copied while the guest ran
 * @param state the VM's state on the destination afterwards
 * @param wallMs how long the migration took, as the service measured it
 * @param pausedOnTimeout whether the guest was paused at the caller's timeout to converge
 * @param completedJob libvirt's statistics of the completed job, as far as it reported them
 */
record MigrationResult(
    String vm,
    String source,
    String destination,
    @Schema(implementation = MigrationMode.class) String mode,
    boolean live,
    @Schema(implementation = VmState.class) String state,
    long wallMs,
    boolean pausedOnTimeout,
    MigrationJobStats completedJob) {}
