package io.virtflux.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.HostdevXml;
import io.virtflux.libvirt.xml.PciAddress;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciMatch;
import io.virtflux.pci.PciPassthrough;
import io.virtflux.vm.template.CallerRole;
import io.virtflux.vm.template.VmTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs a DEPLOY: inside the host's lane, PCI devices are chosen and reserved (so that a concurrent
 * deploy can't get the same ones), added as managed hostdevs, and the domain is defined and started
 * with the deployment mark. The domain is built from the template when the deploy runs (and when it
 * is checked), not kept: the typed model reads back only the elements it models, and RAW may add
 * others.
 */
@Component
class VmDeployer implements CommandHandler<VmDeployer.Deploy, VmDeployer.VmDeployResult> {

  /**
   * A DEPLOY of {@code template} on {@code host}.
   *
   * @param host the host the caller named or placement chose
   * @param template the VM's template, as accepted
   * @param role whether an admin asked (which the template's checks depend on)
   * @param pci the template's PCI requests
   * @param placement why placement chose the host; empty when the caller named it
   * @param requestedBy the caller, written into the domain's deployment mark
   */
  record Deploy(
      String host,
      VmTemplate template,
      CallerRole role,
      List<PciMatch> pci,
      Map<String, Object> placement,
      String requestedBy)
      implements Command {

    @Override
    public OperationKind kind() {
      return OperationKind.DEPLOY;
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.vmOn(vm(), host);
    }

    /** The VM's name. */
    String vm() {
      return template.name();
    }

    /** Whether placement chose the host (and so already matched its PCI devices). */
    boolean placed() {
      return !placement.isEmpty();
    }
  }

  /**
   * What a deploy made.
   *
   * @param vm the VM's name
   * @param uuid its libvirt UUID
   * @param host the host it runs on
   * @param state its state once started
   * @param domainType the domain type it was defined with (kvm, qemu)
   * @param pci the host PCI devices passed through to it ("address type"), when it asked for any
   * @param placement where placement put it and why, when the request named no host
   */
  record VmDeployResult(
      String vm,
      String uuid,
      String host,
      @Schema(implementation = VmState.class) String state,
      String domainType,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> pci,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, Object> placement) {}

  private final DeployPlanner planner;
  private final DeployPromises promises;
  private final VmLocator locator;
  private final PciPassthrough passthrough;
  private final LibvirtGateway libvirt;

  VmDeployer(
      DeployPlanner planner,
      DeployPromises promises,
      VmLocator locator,
      PciPassthrough passthrough,
      LibvirtGateway libvirt) {
    this.planner = planner;
    this.promises = promises;
    this.locator = locator;
    this.passthrough = passthrough;
    this.libvirt = libvirt;
  }

  @Override
  public String name() {
    // not "vm-deploy": that name kept inputs without the caller, which the mark now takes from here
    return "vm-deploy-v2";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Set.of(OperationKind.DEPLOY);
  }

  /**
   * The host is registered (probed first if it never was), the template makes a domain there (400
   * otherwise), no host has a VM of that name, and a host the caller named has the PCI devices
   * (placement matched them on the host it chose).
   */
  @Override
  public Mono<Void> check(Deploy deploy) {
    return planner
        .probed(deploy.host())
        .flatMap(
            host -> {
              DomainXml domain = planner.build(deploy.template(), host, deploy.role());
              return refuseTakenName(domain.name())
                  .then(
                      deploy.placed() ? Mono.empty() : passthrough.check(host.ref(), deploy.pci()));
            });
  }

  /**
   * The API names VMs by name alone, so a name must be unique across all hosts, not only on the
   * target (libvirt checks only that).
   */
  private Mono<Void> refuseTakenName(String vm) {
    return locator
        .find(vm)
        .flatMap(
            found ->
                Mono.error(
                    Problems.of(
                        HttpStatus.CONFLICT,
                        "VM exists",
                        "a VM named '" + vm + "' exists on host '" + found.host().name() + "'")));
  }

  @Override
  public Mono<VmDeployResult> run(Deploy deploy, OperationContext context) {
    return planner
        .probed(deploy.host())
        .flatMap(
            host ->
                promises.whilePromised(
                    deploy,
                    promise -> {
                      DomainXml domain = planner.build(deploy.template(), host, deploy.role());
                      return passthrough
                          .reserve(host.ref(), domain.name(), deploy.pci())
                          .flatMap(
                              devices ->
                                  libvirt
                                      .defineAndStart(
                                          host.ref(),
                                          withPassthrough(domain, devices),
                                          DeploymentMarkXml.deployed(
                                              context.operationId(), deploy.requestedBy()))
                                      // the host's next reading counts the domain; until then,
                                      // the promise
                                      .doOnNext(s -> promise.domainDefined())
                                      .map(s -> deployed(s, host, domain, devices, deploy)))
                          .doFinally(signal -> passthrough.release(host.ref(), domain.name()));
                    }));
  }

  /** The memory promised when the deploy was submitted ends with its operation. */
  @Override
  public void ended(Deploy deploy) {
    promises.release(deploy);
  }

  private static DomainXml withPassthrough(DomainXml domain, List<PciDevice> devices) {
    if (devices.isEmpty()) {
      return domain;
    }
    List<HostdevXml> hostdevs =
        devices.stream().map(d -> HostdevXml.pci(PciAddress.parse(d.address()))).toList();
    return domain.withDevices(domain.devicesOrEmpty().withHostdevs(hostdevs));
  }

  private static VmDeployResult deployed(
      DomainStatus s, Host host, DomainXml domain, List<PciDevice> devices, Deploy deploy) {
    return new VmDeployResult(
        s.name(),
        s.uuid(),
        host.name(),
        s.state().name(),
        domain.type(),
        devices.isEmpty() ? null : devices.stream().map(d -> d.address() + " " + d.type()).toList(),
        deploy.placed() ? deploy.placement() : null);
  }
}
