package io.virtflux.operation;

import java.time.Instant;

/**
 * A lifecycle event libvirt reported for a VM ({@code virConnectDomainEventCallback}), as the event
 * stream carries it under {@code event: vm}.
 *
 * @param event defined, undefined, started, suspended, resumed, stopped, shutdown, pmsuspended or
 *     crashed
 * @param detail libvirt's detail, e.g. destroyed, migrated, failed for stopped
 * @param at when the service received it
 */
public record VmEvent(String host, String vm, String event, String detail, Instant at) {}
