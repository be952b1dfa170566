package io.virtflux.libvirt;

/**
 * The libvirt metadata namespace of domains this service deployed; the element in it is a {@link
 * io.virtflux.libvirt.xml.DeploymentMarkXml}. A domain without it was created elsewhere (by hand,
 * by another tool) and is shown as unmanaged.
 */
public final class ManagedMark {

  public static final String NAMESPACE = "https://virtflux.io/xmlns/deployment/1";
  public static final String PREFIX = "virtflux";

  private ManagedMark() {}
}
