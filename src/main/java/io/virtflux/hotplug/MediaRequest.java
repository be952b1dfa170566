package io.virtflux.hotplug;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The new medium of a cdrom or floppy drive.
 *
 * @param source an image under one of the host's datastores; absent ejects the current medium
 */
public record MediaRequest(
    @Schema(description = "Image to insert, under a datastore; absent or null ejects")
        @Nullable String source) {}
