package io.virtflux.vm;

import org.jspecify.annotations.Nullable;

/**
 * Optional body of a lifecycle action.
 *
 * @param path for save and restore: the state file on the host, under one of its datastores;
 *     default {@code <first datastore>/<vm>.save}
 */
public record ActionRequest(@Nullable String path) {}
