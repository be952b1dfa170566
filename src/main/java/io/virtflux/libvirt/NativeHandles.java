package io.virtflux.libvirt;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Releases libvirt-java's native handles on paths where the handle is being thrown away: a failure
 * to release changes nothing for the caller, whose own result or error is what matters.
 */
final class NativeHandles {

  private NativeHandles() {}

  static void free(Domain domain) {
    try {
      domain.free();
    } catch (LibvirtException | RuntimeException ignored) {
      // a handle libvirt cannot free is lost either way
    }
  }

  static void close(Connect connect) {
    try {
      connect.close();
    } catch (LibvirtException | RuntimeException ignored) {
      // nothing left to release if close fails
    }
  }
}
