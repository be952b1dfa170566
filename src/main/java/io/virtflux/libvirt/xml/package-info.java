/** See ARCHITECTURE: feature package `libvirt.xml`. */
@NullMarked
package io.virtflux.libvirt.xml;

import org.jspecify.annotations.NullMarked;
