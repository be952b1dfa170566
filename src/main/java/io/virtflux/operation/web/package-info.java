/**
 * The operations' own REST resources: operations listed, read and cancelled, and their events as
 * server-sent events. Features answer with {@link io.virtflux.operation.OperationResponses}, never
 * with anything of this package.
 *
 * <p>On top of everything else in {@code io.virtflux.operation}; nothing uses it.
 */
@NullMarked
package io.virtflux.operation.web;

import org.jspecify.annotations.NullMarked;
