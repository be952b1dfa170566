package io.virtflux.bench;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The baseline: libvirt called directly from Java in this process, making the same calls the
 * service makes for one lifecycle action (find the VM and read its status, act, read the status
 * again), without HTTP, journal, lanes or events.
 */
final class DirectLibvirt implements AutoCloseable {

  private static final String MARK_NAMESPACE = "https://virtflux.io/xmlns/deployment/1";

  private final Connect connection;

  DirectLibvirt(String uri) throws LibvirtException {
    // as the service does: libvirt's default handler prints every error (an absent metadata
    // element is one) to stderr, which would make the baseline pay for terminal output
    Connect.setErrorCallback((userData, error) -> {});
    this.connection = new Connect(uri);
  }

  /** Suspends (or resumes) {@code vm} the way a lifecycle operation does. */
  void act(String vm, boolean suspend) throws LibvirtException {
    status(vm);
    Domain d = connection.domainLookupByName(vm);
    try {
      if (suspend) {
        d.suspend();
      } else {
        d.resume();
      }
    } finally {
      d.free();
    }
    status(vm);
  }

  private void status(String vm) throws LibvirtException {
    Domain d = connection.domainLookupByName(vm);
    try {
      d.getInfo();
      d.getName();
      d.getUUIDString();
      d.isPersistent();
      d.hasManagedSaveImage();
      try {
        d.getMetadata(Domain.MetadataType.ELEMENT, MARK_NAMESPACE, 0);
      } catch (LibvirtException notManaged) {
        // the VMs of the test node files carry no deployment mark, as for the service
      }
    } finally {
      d.free();
    }
  }

  @Override
  public void close() throws LibvirtException {
    connection.close();
  }
}
