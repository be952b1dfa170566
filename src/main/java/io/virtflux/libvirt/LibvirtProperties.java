package io.virtflux.libvirt;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the libvirt adapter.
 *
 * @param threads size of the bounded scheduler every blocking libvirt call runs on
 * @param queue how many calls may wait for a thread before callers are refused
 * @param keepaliveIntervalSeconds libvirt keepalive: seconds between probes
 * @param keepaliveCount libvirt keepalive: unanswered probes before the connection is closed
 * @param idleConnectionsPerHost how many of a host's call connections stay open between calls (each
 *     call has a connection of its own; more are opened when more calls run at once, and closed
 *     again when they come back beyond this number)
 * @param connectionPerCall true: each call has a connection of its own (the workaround for
 *     CVE-2024-4418 in libvirt clients before 10.4); false: every call to a host and its events
 *     share one connection
 */
@ConfigurationProperties("virtflux.libvirt")
public record LibvirtProperties(
    @DefaultValue("32") int threads,
    @DefaultValue("10000") int queue,
    @DefaultValue("5") int keepaliveIntervalSeconds,
    @DefaultValue("3") int keepaliveCount,
    @DefaultValue("4") int idleConnectionsPerHost,
    @DefaultValue("true") boolean connectionPerCall) {}
