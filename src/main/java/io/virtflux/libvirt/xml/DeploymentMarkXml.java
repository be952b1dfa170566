package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The metadata element a deploy or an import leaves on the domain ({@code <virtflux:deployment>},
 * in the namespace of {@link io.virtflux.libvirt.ManagedMark}): marks the VM as managed by this
 * service and says which operation made it so. It lives beside the rest of the XML model because
 * the adapter writes and reads it; what it means to a VM is the vm package's business.
 *
 * @param imported {@code yes} when the VM was created elsewhere and imported
 */
@JacksonXmlRootElement(localName = "deployment")
public record DeploymentMarkXml(
    @JacksonXmlProperty(isAttribute = true) String operation,
    @JacksonXmlProperty(isAttribute = true) String principal,
    @JacksonXmlProperty(isAttribute = true) @Nullable String imported) {

  /** The mark of a VM that operation {@code operation} deployed. */
  public static DeploymentMarkXml deployed(String operation, String principal) {
    return new DeploymentMarkXml(operation, principal, null);
  }

  /** The mark of a VM created elsewhere that operation {@code operation} imported. */
  public static DeploymentMarkXml imported(String operation, String principal) {
    return new DeploymentMarkXml(operation, principal, "yes");
  }

  /** Whether the VM was created elsewhere and imported. */
  public boolean wasImported() {
    return "yes".equals(imported);
  }
}
