package io.virtflux.hotplug;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.hotplug.*}.
 *
 * @param detachTimeout how long a detach waits for the guest to release the device (gone from the
 *     live XML) before it fails; keep it below the DETACH_* operation timeouts
 * @param pollInterval how often the live XML is read while waiting
 */
@ConfigurationProperties("virtflux.hotplug")
public record HotplugProperties(
    @DefaultValue("30s") Duration detachTimeout, @DefaultValue("250ms") Duration pollInterval) {}
