package io.virtflux.host;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hosts and host-wide limits from the application config.
 *
 * @param hosts hosts registered at start-up
 * @param datastores default datastore roots of every host (disks, kernels, saved states)
 * @param maxDeploysPerHost concurrent deploys per host (OpenNebula's MAX_HOST)
 * @param probeInterval how often every host is re-probed (staggered); zero disables
 */
@ConfigurationProperties("virtflux")
public record HostsProperties(
    @DefaultValue List<HostConfig> hosts,
    @DefaultValue List<String> datastores,
    @DefaultValue("10") int maxDeploysPerHost,
    @DefaultValue("60s") Duration probeInterval) {}
