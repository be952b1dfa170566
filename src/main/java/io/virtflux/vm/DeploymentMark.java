package io.virtflux.vm;

import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The metadata element a deploy leaves on the domain ({@code <virtflux:deployment>}): marks the VM
 * as managed by this service and says which operation created it.
 */
@JacksonXmlRootElement(localName = "deployment")
record DeploymentMark(
    @JacksonXmlProperty(isAttribute = true) String operation,
    @JacksonXmlProperty(isAttribute = true) String principal) {}
