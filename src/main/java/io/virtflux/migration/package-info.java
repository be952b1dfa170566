/** Live and cold migration: options, progress, abort, timeouts, and the dry-run check. */
@NullMarked
package io.virtflux.migration;

import org.jspecify.annotations.NullMarked;
