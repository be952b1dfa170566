package io.virtflux.vm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenNebula's shutdown knobs.
 *
 * @param shutdownTimeout how long an ACPI shutdown may take (SHUTDOWN_TIMEOUT)
 * @param forceDestroy destroy a VM that did not shut down in time instead of failing
 *     (FORCE_DESTROY)
 * @param cancelNoAcpi destroy at once a VM that has no ACPI, since it cannot hear the power button
 *     (CANCEL_NO_ACPI)
 * @param pollInterval how often the state is read while waiting for a shutdown
 */
@ConfigurationProperties("virtflux.vm.lifecycle")
public record LifecycleProperties(
    @DefaultValue("300s") Duration shutdownTimeout,
    @DefaultValue("false") boolean forceDestroy,
    @DefaultValue("false") boolean cancelNoAcpi,
    @DefaultValue("250ms") Duration pollInterval) {}
