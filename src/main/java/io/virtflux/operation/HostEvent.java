package io.virtflux.operation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A host's state changed (ONLINE, OFFLINE, ERROR, DISABLED, …), as the event stream carries it
 * under {@code event: host}: a dashboard sees a host drop and come back without polling.
 *
 * @param state the state it is in now
 * @param reason why, when it is not ONLINE (e.g. "connection closed: EOF")
 * @param at when the service saw the change
 */
public record HostEvent(String host, String state, @Nullable String reason, Instant at) {}
