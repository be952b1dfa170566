package io.virtflux.operation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.events.*}: the SSE streams.
 *
 * @param heartbeat how often a stream gets a comment, so that proxies keep an idle one open
 * @param subscriberBuffer live events held for one slow subscriber before it is told to reconnect
 */
@ConfigurationProperties("virtflux.events")
public record EventProperties(
    @DefaultValue("15s") Duration heartbeat, @DefaultValue("256") int subscriberBuffer) {}
