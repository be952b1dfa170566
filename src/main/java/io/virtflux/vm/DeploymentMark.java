package io.virtflux.vm;

import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The metadata element a deploy or an import leaves on the domain ({@code <virtflux:deployment>}):
 * marks the VM as managed by this service and says which operation made it so.
 *
 * @param imported {@code yes} when the VM was created elsewhere and imported
 */
@JacksonXmlRootElement(localName = "deployment")
record DeploymentMark(
    @JacksonXmlProperty(isAttribute = true) String operation,
    @JacksonXmlProperty(isAttribute = true) String principal,
    @JacksonXmlProperty(isAttribute = true) @Nullable String imported) {

  static DeploymentMark deployed(String operation, String principal) {
    return new DeploymentMark(operation, principal, null);
  }

  static DeploymentMark imported(String operation, String principal) {
    return new DeploymentMark(operation, principal, "yes");
  }

  boolean wasImported() {
    return "yes".equals(imported);
  }
}
