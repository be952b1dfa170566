package io.virtflux.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what one caller may ask of the service, so that one client cannot starve the others or
 * the journal: a request body's size (413 beyond it), the event streams a token holds open at once,
 * and the changes (operation submissions and other writes) a token sends per second (429 with
 * Retry-After beyond either).
 *
 * @param maxBodySize the largest request body accepted; also the codecs' in-memory limit
 * @param eventStreamsPerToken event streams one token may hold open at once
 * @param submissionsPerSecond changes (POST, PUT, PATCH, DELETE under /api/v1) per token per second
 */
@Validated
@ConfigurationProperties("virtflux.limits")
public record RequestLimitProperties(
    @DefaultValue("1MB") @NotNull DataSize maxBodySize,
    @DefaultValue("64") @Min(1) int eventStreamsPerToken,
    @DefaultValue("50") @Min(1) int submissionsPerSecond) {}
