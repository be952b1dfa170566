/** See ARCHITECTURE: feature package `api`. */
@NullMarked
package io.virtflux.api;

import org.jspecify.annotations.NullMarked;
