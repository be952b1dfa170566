package io.virtflux.vm;

import io.virtflux.api.Caller;
import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.pci.PciMatch;
import io.virtflux.vm.template.CallerRole;
import io.virtflux.vm.template.DomainBuilder;
import io.virtflux.vm.template.DomainType;
import io.virtflux.vm.template.HostFacts;
import io.virtflux.vm.template.TemplateValidator;
import io.virtflux.vm.template.TemplateViolationException;
import io.virtflux.vm.template.Violation;
import io.virtflux.vm.template.VmTemplate;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Where a deploy goes and what it defines there: the host the caller named (probed first) or the
 * one {@link Placement} chooses, and the domain a template makes on that host. Shared by the deploy
 * itself and its dry run, so that both build the same domain.
 */
@Component
class DeployPlanner {

  private final HostProber prober;
  private final Placement placement;
  private final DomainBuilder builder;

  DeployPlanner(HostProber prober, Placement placement, DomainBuilder builder) {
    this.prober = prober;
    this.placement = placement;
    this.builder = builder;
  }

  /**
   * The named host, probed; or the one {@link Placement} chooses, with the VM's memory promised
   * there (the caller ends the promise).
   */
  Mono<Placement.Placed> host(DeployRequest request) {
    if (request.host() != null) {
      return probed(request.host()).map(h -> new Placement.Placed(h, Map.of(), null, null));
    }
    return Mono.defer(
        () -> placement.choose(request.template().memory(), pciRequests(request.template())));
  }

  /**
   * The host, probed first if it never was: the domain type depends on whether it offers KVM. 404
   * when no such host is registered.
   */
  Mono<Host> probed(String host) {
    return Mono.defer(() -> prober.probed(host));
  }

  /**
   * The template's PCI requests as selectors; a malformed one is refused with its field named
   * ({@link TemplateViolationException}, 400), as PciMatch would only throw.
   */
  static List<PciMatch> pciRequests(VmTemplate template) {
    List<Violation> wrong = TemplateValidator.pciViolations(template.pci());
    if (!wrong.isEmpty()) {
      throw new TemplateViolationException(wrong);
    }
    return template.pci().stream()
        .map(p -> new PciMatch(p.vendor(), p.device(), p.pciClass()))
        .toList();
  }

  /**
   * The domain {@code template} makes on {@code host}, with what {@code role} may ask for; a
   * template it refuses throws {@link TemplateViolationException} (400).
   */
  DomainXml build(VmTemplate template, Host host, CallerRole role) {
    DomainType type = DomainType.fromXmlName(host.domainType()).orElse(DomainType.QEMU);
    return builder.build(template, new HostFacts(type, host.datastores()), role);
  }

  /** What the caller may put in a template (RAW, for an admin). */
  static CallerRole roleOf(Caller caller) {
    return caller.admin() ? CallerRole.ADMIN : CallerRole.USER;
  }
}
