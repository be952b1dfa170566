/** See ARCHITECTURE: feature package `host`. */
@NullMarked
package io.virtflux.host;

import org.jspecify.annotations.NullMarked;
