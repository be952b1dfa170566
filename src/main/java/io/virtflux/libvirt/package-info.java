/** See ARCHITECTURE: feature package `libvirt`. */
@NullMarked
package io.virtflux.libvirt;

import org.jspecify.annotations.NullMarked;
