package io.virtflux.vm;

import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.MemoryPromise;
import io.virtflux.host.MemoryPromises;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.operation.OperationReplay;
import io.virtflux.operation.OperationWork;
import io.virtflux.operation.ReplayInputs;
import io.virtflux.pci.PciMatch;
import io.virtflux.vm.template.CallerRole;
import io.virtflux.vm.template.VmTemplate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * What the VM operations keep while they are QUEUED, and how their work is rebuilt from it after a
 * restart. The inputs are those the request was accepted with, already checked: the host chosen,
 * the domain XML built from the template, the save file resolved inside a datastore. The work looks
 * the host up again when it runs, so a host removed meanwhile fails it with "no such host".
 */
@Configuration(proxyBeanMethods = false)
class VmReplays {

  // each recipe is named where the inputs are kept and where its replay is registered
  private static final String DEPLOY = "vm-deploy";
  private static final String LIFECYCLE = "vm-lifecycle";
  private static final String REMOVE = "vm-remove";
  private static final String IMPORT = "vm-import";

  /**
   * A DEPLOY: the template, the host chosen for it and how, its PCI requests, and whether an admin
   * asked (which the template's checks depend on). The domain is built again when it runs rather
   * than kept: the typed model reads back only the elements it models, and RAW may add others.
   */
  record Deploy(
      String host,
      VmTemplate template,
      CallerRole role,
      List<PciMatch> pci,
      Map<String, Object> placement) {}

  /** A lifecycle action, with its resolved save file for SAVE and RESTORE. */
  record Lifecycle(String host, String vm, LifecycleAction action, @Nullable String statePath) {}

  /** A DESTROY (the VM's removal) or an IMPORT. */
  record OnVm(String host, String vm) {}

  static ReplayInputs deploy(
      String host,
      VmTemplate template,
      CallerRole role,
      List<PciMatch> pci,
      Map<String, Object> placement) {
    return new ReplayInputs(DEPLOY, new Deploy(host, template, role, pci, placement));
  }

  static ReplayInputs lifecycle(
      String host, String vm, LifecycleAction action, @Nullable String statePath) {
    return new ReplayInputs(LIFECYCLE, new Lifecycle(host, vm, action, statePath));
  }

  static ReplayInputs removal(String host, String vm) {
    return new ReplayInputs(REMOVE, new OnVm(host, vm));
  }

  static ReplayInputs importing(String host, String vm) {
    return new ReplayInputs(IMPORT, new OnVm(host, vm));
  }

  @Bean
  OperationReplay<Deploy> deployReplay(VmService vms, HostProber prober, MemoryPromises memory) {
    return OperationReplay.of(
        DEPLOY,
        Deploy.class,
        (queued, kept) ->
            // probed first, as at submission: the domain type depends on whether it offers KVM
            ctx ->
                prober
                    .probed(kept.host())
                    .flatMap(
                        host -> {
                          DomainXml domain = vms.build(kept.template(), host, kept.role());
                          // the restart dropped the promise made at submission: counted again
                          // from now until this work ends
                          MemoryPromise promise =
                              memory.promiseAnyway(host.name(), kept.template().memory());
                          OperationWork deploy =
                              vms.deployWork(
                                  host,
                                  domain,
                                  kept.pci(),
                                  kept.placement(),
                                  queued.requestedBy(),
                                  promise);
                          // the name was free when the request was accepted; it may be taken now
                          return vms.refuseTakenName(domain.name())
                              .then(Mono.defer(() -> deploy.run(ctx)))
                              .doFinally(signal -> promise.end());
                        }));
  }

  @Bean
  OperationReplay<Lifecycle> lifecycleReplay(VmService vms, HostRegistry hosts) {
    return OperationReplay.of(
        LIFECYCLE,
        Lifecycle.class,
        (queued, kept) ->
            ctx -> vms.run(hosts.require(kept.host()), kept.vm(), kept.action(), kept.statePath()));
  }

  @Bean
  OperationReplay<OnVm> removeReplay(VmService vms, HostRegistry hosts) {
    return OperationReplay.of(
        REMOVE,
        OnVm.class,
        (queued, kept) -> ctx -> vms.removeWork(hosts.require(kept.host()), kept.vm()));
  }

  @Bean
  OperationReplay<OnVm> importReplay(VmService vms, HostRegistry hosts) {
    return OperationReplay.of(
        IMPORT,
        OnVm.class,
        (queued, kept) ->
            ctx ->
                vms.importWork(
                    hosts.require(kept.host()),
                    kept.vm(),
                    ctx.operationId(),
                    queued.requestedBy()));
  }
}
