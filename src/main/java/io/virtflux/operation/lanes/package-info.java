/**
 * The per-host lanes: a FIFO and a concurrency limit per host, which admit an operation once every
 * host it names has a slot for it.
 *
 * <p>Knows only the root's model and the limits the host registry gives ({@link
 * io.virtflux.operation.LaneLimits}); only the pipeline ({@link
 * io.virtflux.operation.OperationService}) uses it.
 */
@NullMarked
package io.virtflux.operation.lanes;

import org.jspecify.annotations.NullMarked;
