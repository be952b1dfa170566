package io.virtflux.libvirt;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the libvirt adapter.
 *
 * @param threadsPerHost size of each host's bounded scheduler, on which every blocking libvirt call
 *     to that host runs: a bulkhead, so that hung or unreachable hosts hold only their own threads
 * @param queuePerHost how many of a host's calls may wait for one of its threads before callers are
 *     refused
 * @param keepaliveIntervalSeconds libvirt keepalive: seconds between probes
 * @param keepaliveCount libvirt keepalive: unanswered probes before the connection is closed
 * @param idleConnectionsPerHost how many of a host's call connections stay open between calls (each
 *     call has a connection of its own; more are opened when more calls run at once, and closed
 *     again when they come back beyond this number)
 * @param connectTimeout how long opening a connection may take before the host counts as offline
 *     (libvirt itself has no such limit: a host that accepts TCP and never answers would hold the
 *     opening thread for good)
 * @param connectionPerCall true: each call has a connection of its own (the workaround for
 *     CVE-2024-4418 in libvirt clients before 10.4); false: every call to a host and its events
 *     share one connection
 */
@ConfigurationProperties("virtflux.libvirt")
public record LibvirtProperties(
    @DefaultValue("8") int threadsPerHost,
    @DefaultValue("1000") int queuePerHost,
    @DefaultValue("5") int keepaliveIntervalSeconds,
    @DefaultValue("3") int keepaliveCount,
    @DefaultValue("4") int idleConnectionsPerHost,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("true") boolean connectionPerCall) {}
