package io.virtflux.operation.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.events.*}: the SSE streams.
 *
 * @param heartbeat how often a stream gets a comment, so that proxies keep an idle one open
 * @param subscriberBuffer live events held for one subscriber that has not taken them yet; one
 *     further behind is told to reconnect (with Last-Event-ID, which replays from the journal).
 *     Delivery runs on its own threads, so a burst of writes can put even a fast subscriber this
 *     far behind for a moment: keep it well above the journal's write bursts
 * @param batchWindow the shortest time between two writes to one subscriber: an event after a quiet
 *     spell is sent at once, those that follow it within this window together at its end. Longer
 *     windows cost less CPU per event with many subscribers and add up to that much latency to an
 *     event that follows another closely; 0 sends each event as soon as its delivery thread gets to
 *     it
 */
@ConfigurationProperties("virtflux.events")
public record EventProperties(
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("2048") int subscriberBuffer,
    @DefaultValue("10ms") Duration batchWindow,
    @DefaultValue("64") int batchAbove) {}
