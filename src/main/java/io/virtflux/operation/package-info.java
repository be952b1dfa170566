/** See ARCHITECTURE: feature package `operation`. */
@NullMarked
package io.virtflux.operation;

import org.jspecify.annotations.NullMarked;
