/** See ARCHITECTURE: feature package `security`. */
@NullMarked
package io.virtflux.security;

import org.jspecify.annotations.NullMarked;
