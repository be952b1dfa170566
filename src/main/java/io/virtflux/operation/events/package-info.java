/**
 * The event streams: journaled events replayed from the journal, then live, without gaps or
 * duplicates, fanned out to each subscriber's bounded queue and written in batches on its
 * connection's thread.
 *
 * <p>Built on the journal: it reads the journal to replay, and takes live events as a {@link
 * io.virtflux.operation.journal.JournalListener}. Used by the pipeline (the graceful stop ends the
 * streams, the meters count them) and the event controller; features record what they observe
 * through the root's {@link io.virtflux.operation.ObservedEvents}, never here.
 */
@NullMarked
package io.virtflux.operation.events;

import org.jspecify.annotations.NullMarked;
