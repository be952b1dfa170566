package io.virtflux.vm.template;

import java.nio.file.Path;
import java.util.List;

/**
 * What the caller knows about the target host when building a domain.
 *
 * @param domainType kvm when the host's KVM works (probed by booting, not by {@code /dev/kvm}),
 *     else qemu; a template's {@code domainType} overrides it
 * @param datastoreRoots directories that disk images, kernels, initrds and console logs must live
 *     under; the first one also holds default console logs
 */
public record HostFacts(DomainType domainType, List<Path> datastoreRoots) {

  public HostFacts {
    datastoreRoots = List.copyOf(datastoreRoots);
    if (datastoreRoots.isEmpty()) {
      throw new IllegalArgumentException("a host needs at least one datastore root");
    }
    for (Path root : datastoreRoots) {
      if (!root.isAbsolute() || !root.normalize().equals(root) || root.getParent() == null) {
        throw new IllegalArgumentException(
            "datastore root must be an absolute, normalized path below /: " + root);
      }
    }
  }
}
