/** See ARCHITECTURE: feature package `vm`. */
@NullMarked
package io.virtflux.vm;

import org.jspecify.annotations.NullMarked;
