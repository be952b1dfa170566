package io.virtflux.migration;

import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.vm.VmLocator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The dry run of a live migration: every reason it would be refused or could fail, read from the
 * hosts and the VM's live XML, without starting anything.
 */
@Component
class MigrationChecker {

  private final HostRegistry hosts;
  private final HostProber prober;
  private final LibvirtGateway libvirt;
  private final VmLocator locator;

  MigrationChecker(
      HostRegistry hosts, HostProber prober, LibvirtGateway libvirt, VmLocator locator) {
    this.hosts = hosts;
    this.prober = prober;
    this.libvirt = libvirt;
    this.locator = locator;
  }

  Mono<MigrationCheck> check(String vm, String destination) {
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              Host source = found.host();
              List<String> problems = new ArrayList<>();
              List<String> warnings = new ArrayList<>();
              if (!found.status().state().active()) {
                problems.add("the VM is not running: only a cold migration (live: false) applies");
              }
              Mono<Host> dest =
                  hosts.find(destination).isPresent() ? prober.probed(destination) : Mono.empty();
              return libvirt
                  .domainXml(source.ref(), vm, false)
                  .doOnNext(domain -> inspect(domain, problems, warnings))
                  .then(dest)
                  .flatMap(d -> destinationProblems(vm, source, d, problems))
                  .switchIfEmpty(
                      Mono.fromRunnable(
                          () -> {
                            if (hosts.find(destination).isEmpty()) {
                              problems.add("no host named '" + destination + "'");
                            }
                          }))
                  .then(
                      Mono.fromSupplier(
                          () ->
                              new MigrationCheck(
                                  vm,
                                  source.name(),
                                  destination,
                                  problems.isEmpty(),
                                  List.copyOf(problems),
                                  List.copyOf(warnings))));
            });
  }

  private Mono<Void> destinationProblems(String vm, Host source, Host dest, List<String> problems) {
    if (dest.name().equals(source.name())) {
      problems.add("the destination is the host the VM runs on");
      return Mono.empty();
    }
    if (dest.state() != HostStatus.ONLINE) {
      problems.add("host '" + dest.name() + "' is " + dest.state() + ": " + dest.reason());
      return Mono.empty();
    }
    Mono<Void> nameFree =
        libvirt
            .status(dest.ref(), vm)
            .doOnNext(
                s ->
                    problems.add(
                        "a domain named '" + vm + "' is already defined on the destination"))
            .onErrorResume(LibvirtFailure.class, e -> Mono.empty())
            .then();
    return nameFree.then(cpuCompatible(source, dest, problems));
  }

  /** libvirt's compare of the source host's CPU against the destination's. */
  private Mono<Void> cpuCompatible(Host source, Host dest, List<String> problems) {
    if (source.facts() == null) {
      return Mono.empty();
    }
    CapabilitiesXml.HostCpu cpu = source.facts().capabilities().host().cpu();
    if (cpu == null) {
      return Mono.empty();
    }
    return libvirt
        .compareCpu(dest.ref(), cpu)
        .doOnNext(
            result -> {
              if (result.equals("INCOMPATIBLE")) {
                problems.add(
                    "the CPU of host '"
                        + source.name()
                        + "' ("
                        + cpu.model()
                        + ") is incompatible with host '"
                        + dest.name()
                        + "'");
              }
            })
        .onErrorResume(
            LibvirtFailure.class,
            e -> {
              problems.add("libvirt could not compare the CPUs: " + e.getBody().getDetail());
              return Mono.empty();
            })
        .then();
  }

  private static void inspect(DomainXml domain, List<String> problems, List<String> warnings) {
    if (!domain.devicesOrEmpty().hostPciAddresses().isEmpty()) {
      problems.add(
          "PCI devices are passed through ("
              + domain.devicesOrEmpty().hostPciAddresses()
              + "): a VM with host devices cannot be live-migrated");
    }
    for (DiskXml disk : domain.devicesOrEmpty().disks()) {
      if (disk.source() == null || disk.source().path() == null || disk.isReadonly()) {
        continue;
      }
      String cache = disk.driver() == null ? null : disk.driver().cache();
      warnings.add(
          "disk "
              + disk.targetDev()
              + " ("
              + disk.source().path()
              + ") is a local path: unless the storage is shared and seen at the same path on"
              + " the destination, migrate with copyStorage: all, or with unsafe: true when it"
              + " is shared");
      if (cache != null && !cache.equals("none") && !cache.equals("directsync")) {
        warnings.add(
            "disk "
                + disk.targetDev()
                + " uses cache="
                + cache
                + ", which libvirt treats as unsafe for migration: set unsafe: true or use"
                + " cache none");
      }
    }
  }
}
