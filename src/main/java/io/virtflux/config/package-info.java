/** See ARCHITECTURE: feature package `config`. */
@NullMarked
package io.virtflux.config;

import org.jspecify.annotations.NullMarked;
