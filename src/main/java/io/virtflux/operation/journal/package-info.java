/**
 * The operation journal: the durable record of operations and of the event stream (an H2 file, or a
 * PostgreSQL database), its single writer, its retention, and its readiness check.
 *
 * <p>Below everything else in {@code io.virtflux.operation}: it stores the root's model and knows
 * none of its users. What happens to an event once committed is up to the {@link
 * io.virtflux.operation.journal.JournalListener}s. Only the operation root (the pipeline), the
 * event streams and the operation controllers use it; features never do.
 */
@NullMarked
package io.virtflux.operation.journal;

import org.jspecify.annotations.NullMarked;
