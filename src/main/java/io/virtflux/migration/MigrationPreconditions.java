package io.virtflux.migration;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.vm.VmLocator;
import io.virtflux.vm.template.DatastorePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What must hold on the hosts for a migration to start (409/422): checked when it is submitted, and
 * again when its lanes admit it, as the VM, the hosts and their datastores may have changed while
 * it waited (or while the service was down).
 */
@Component
class MigrationPreconditions {

  private final HostRegistry hosts;
  private final HostProber prober;
  private final LibvirtGateway libvirt;
  private final VmLocator locator;

  MigrationPreconditions(
      HostRegistry hosts, HostProber prober, LibvirtGateway libvirt, VmLocator locator) {
    this.hosts = hosts;
    this.prober = prober;
    this.libvirt = libvirt;
    this.locator = locator;
  }

  /**
   * A diskPaths without a storage copy is refused (422) before anything is asked of a host: only
   * the request is wrong.
   */
  static void requireStorageCopyForDiskPaths(MigrationRequest request) {
    Map<String, String> paths = request.diskPaths();
    if (paths != null && !paths.isEmpty() && !request.copiesStorage()) {
      throw Problems.of(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "diskPaths needs copyStorage",
          "disks move to other paths only when they are copied: set copyStorage to all or"
              + " incremental");
    }
  }

  /** Completes when {@code migration} can start now; else its problem. */
  Mono<Void> check(Migrate migration) {
    String vm = migration.vm();
    MigrationRequest request = migration.request();
    return locator
        .locate(vm)
        .flatMap(
            found ->
                destination(migration.destination())
                    .flatMap(
                        dest -> {
                          Host source = found.host();
                          requireStillOn(source, migration);
                          refuse(source, dest, request.isLive(), found.status().state().active());
                          checkDiskPaths(request, dest);
                          return refusePassthrough(source, vm, request.isLive());
                        }));
  }

  private Mono<Host> destination(String name) {
    if (hosts.find(name).isEmpty()) {
      return Mono.error(
          Problems.of(
              HttpStatus.UNPROCESSABLE_CONTENT,
              "Unknown destination",
              "no host named '" + name + "'"));
    }
    return prober.probed(name);
  }

  /** The lanes held are those of the host the VM was on when the migration was accepted. */
  private static void requireStillOn(Host source, Migrate migration) {
    if (!source.name().equals(migration.source())) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM moved",
          "VM '"
              + migration.vm()
              + "' is on host '"
              + source.name()
              + "' now, not on '"
              + migration.source()
              + "' where the migration was asked for");
    }
  }

  private static void refuse(Host source, Host dest, boolean live, boolean running) {
    if (source.name().equals(dest.name())) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Destination is the source",
          "the VM already runs on host '" + dest.name() + "'");
    }
    if (dest.state() != HostStatus.ONLINE) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Destination offline",
          "host '" + dest.name() + "' is " + dest.state() + ": " + dest.reason());
    }
    if (live && !running) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM not running",
          "a live migration needs a running VM; use live: false to move a shut-off VM");
    }
    if (!live && running) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM running",
          "a cold migration (live: false) moves a shut-off VM; shut it down or migrate live");
    }
  }

  /**
   * Destination disk paths must lie in the destination's datastores, which may change while the
   * migration waits. The targets' names are checked here too, though they depend on the request
   * only, so that one answer lists every refused entry and a client can fix them all at once.
   */
  private static void checkDiskPaths(MigrationRequest request, Host dest) {
    Map<String, String> paths = request.diskPaths();
    if (paths == null || paths.isEmpty()) {
      return;
    }
    List<Map<String, String>> errors = new ArrayList<>();
    paths.forEach(
        (target, path) -> {
          if (!target.matches("(sd|vd|hd|fd|xvd)[a-z]{1,3}")) {
            errors.add(
                Map.of("field", "diskPaths", "message", "'" + target + "' is not a disk target"));
          }
          String problem = DatastorePaths.problem(path, dest.datastores());
          if (problem != null) {
            errors.add(
                Map.of("field", "diskPaths." + target, "message", problem + " of the destination"));
          }
        });
    if (!errors.isEmpty()) {
      throw Problems.invalid("diskPaths was refused", errors);
    }
  }

  /** QEMU can't migrate a device it doesn't emulate (409). */
  private Mono<Void> refusePassthrough(Host source, String vm, boolean live) {
    if (!live) {
      return Mono.empty();
    }
    return libvirt
        .domainXml(source.ref(), vm, false)
        .map(domain -> domain.devicesOrEmpty().hostPciAddresses())
        .flatMap(
            pci ->
                pci.isEmpty()
                    ? Mono.empty()
                    : Mono.error(
                        Problems.of(
                            HttpStatus.CONFLICT,
                            "PCI passthrough",
                            "VM '"
                                + vm
                                + "' has host PCI devices passed through ("
                                + pci
                                + "): a VM with host devices cannot be live-migrated. Shut it"
                                + " down and migrate it cold, or detach the devices")));
  }
}
