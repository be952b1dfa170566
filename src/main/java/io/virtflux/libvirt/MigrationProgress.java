package io.virtflux.libvirt;

import org.jspecify.annotations.Nullable;

/**
 * A running (or completed) migration job as libvirt's job statistics report it. Sizes in bytes,
 * times in milliseconds; fields libvirt did not report are null.
 *
 * @param memoryIteration the pre-copy pass over guest memory (1 = first full copy)
 * @param downtimeMs the guest's pause at switch-over, once known
 */
public record MigrationProgress(
    boolean active,
    @Nullable Long elapsedMs,
    @Nullable Long dataTotal,
    @Nullable Long dataProcessed,
    @Nullable Long dataRemaining,
    @Nullable Long memoryIteration,
    @Nullable Long downtimeMs) {}
