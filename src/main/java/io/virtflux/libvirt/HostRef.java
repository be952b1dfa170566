package io.virtflux.libvirt;

/**
 * A libvirt host as the adapter sees it.
 *
 * @param name the service's name for it
 * @param uri its URI as configured: what logs show and what a peer-to-peer migration hands to the
 *     source host (which authenticates with files of its own)
 * @param connectUri what the service opens: {@code uri} plus the parameters of the service's
 *     credential files ({@link LibvirtCredentials})
 */
public record HostRef(String name, String uri, String connectUri) {

  /** A host opened with its URI as it is. */
  public HostRef(String name, String uri) {
    this(name, uri, uri);
  }
}
