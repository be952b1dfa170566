package io.virtflux.vm;

import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.host.MemoryPromise;
import io.virtflux.host.MemoryPromises;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.HostdevXml;
import io.virtflux.libvirt.xml.PciAddress;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationRequest;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.OperationWork;
import io.virtflux.operation.Operations;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciMatch;
import io.virtflux.pci.PciPassthrough;
import io.virtflux.vm.template.CallerRole;
import io.virtflux.vm.template.DatastorePaths;
import io.virtflux.vm.template.DomainBuilder;
import io.virtflux.vm.template.DomainType;
import io.virtflux.vm.template.HostFacts;
import io.virtflux.vm.template.TemplateValidator;
import io.virtflux.vm.template.TemplateViolationException;
import io.virtflux.vm.template.Violation;
import io.virtflux.vm.template.VmTemplate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deploy and lifecycle of VMs: turns requests into operations on the right host's lane. Template
 * problems are found before anything is queued (400 at once); libvirt's own failures end up in the
 * operation's error.
 */
@Service
public class VmService {

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;
  private final Operations operations;
  private final DomainBuilder builder;
  private final VmLocator locator;
  private final VmLifecycle lifecycle;
  private final HostProber prober;
  private final PciPassthrough passthrough;
  private final Placement placement;
  private final MemoryPromises memory;

  VmService(
      MemoryPromises memory,
      PciPassthrough passthrough,
      Placement placement,
      HostRegistry hosts,
      HostProber prober,
      LibvirtGateway libvirt,
      Operations operations,
      DomainBuilder builder,
      VmLocator locator,
      VmLifecycle lifecycle) {
    this.hosts = hosts;
    this.prober = prober;
    this.libvirt = libvirt;
    this.operations = operations;
    this.builder = builder;
    this.locator = locator;
    this.lifecycle = lifecycle;
    this.passthrough = passthrough;
    this.placement = placement;
    this.memory = memory;
  }

  /** The domain XML a deploy of {@code request} would define (dry run, without PCI devices). */
  public Mono<String> render(DeployRequest request, Caller caller) {
    return host(request)
        .map(
            placed -> {
              endPromise(placed); // nothing is deployed
              return libvirt.definitionXml(build(request.template(), placed.host(), caller));
            });
  }

  private static void endPromise(Placement.Placed placed) {
    if (placed.promise() != null) {
      placed.promise().end();
    }
  }

  /**
   * Validates, builds the domain XML, checks the name is free on every host and the PCI requests
   * can be met, and queues a DEPLOY on the host's lane (chosen by {@link Placement} when the
   * request names none). A repeated request (same Idempotency-Key) returns the first operation.
   *
   * <p>The VM's memory is promised on the host until the deploy ends (see {@link MemoryPromises}):
   * placement refuses a host without the memory, counting these promises. A deploy to a host the
   * caller named is not refused for memory (the caller chose; as OpenNebula's {@code onevm deploy}
   * without {@code --enforce}), but its promise counts for the placed ones.
   */
  public Mono<Operation> deploy(DeployRequest request, Caller caller) {
    // also when the service places the VM: a repeated request (same key, same body) is the same
    // request whichever host placement would choose now, and the first one's VM takes the name
    String vm = request.template().name();
    OperationRequest op =
        request.host() == null
            ? new OperationRequest(
                OperationKind.DEPLOY,
                new OperationTarget(vm, List.of()),
                caller.idempotencyKey(),
                caller.name())
            : deployRequest(vm, request.host(), caller);
    return operations.earlier(op).switchIfEmpty(Mono.defer(() -> placeAndDeploy(request, caller)));
  }

  private Mono<Operation> placeAndDeploy(DeployRequest request, Caller caller) {
    List<PciMatch> pci = pciRequests(request.template());
    return host(request)
        .flatMap(
            placed ->
                Mono.fromCallable(() -> build(request.template(), placed.host(), caller))
                    .flatMap(
                        domain ->
                            refuseTakenName(domain.name())
                                // placement already matched the devices on the host it chose
                                .then(
                                    request.host() == null
                                        ? Mono.empty()
                                        : passthrough.check(placed.host().ref(), pci))
                                .then(
                                    Mono.defer(
                                        () ->
                                            submitDeploy(
                                                placed, request.template(), domain, pci, caller))))
                    // refused before it was queued: the placement's promise goes (once queued,
                    // the operation's end does it)
                    .doOnError(e -> endPromise(placed)));
  }

  /** The named host, probed; or the one {@link Placement} chooses. */
  private Mono<Placement.Placed> host(DeployRequest request) {
    if (request.host() != null) {
      return prober.probed(request.host()).map(h -> new Placement.Placed(h, Map.of(), null));
    }
    return placement.choose(request.template().memory(), pciRequests(request.template()));
  }

  /**
   * The template's PCI requests as selectors; a malformed one is refused with its field named
   * ({@link TemplateViolationException}, 400), as PciMatch would only throw.
   */
  private static List<PciMatch> pciRequests(VmTemplate template) {
    List<Violation> wrong = TemplateValidator.pciViolations(template.pci());
    if (!wrong.isEmpty()) {
      throw new TemplateViolationException(wrong);
    }
    return template.pci().stream()
        .map(p -> new PciMatch(p.vendor(), p.device(), p.pciClass()))
        .toList();
  }

  private static OperationRequest deployRequest(String vm, String host, Caller caller) {
    return new OperationRequest(
        OperationKind.DEPLOY,
        OperationTarget.vmOn(vm, host),
        caller.idempotencyKey(),
        caller.name());
  }

  /**
   * The API names VMs by name alone, so a name must be unique across all hosts, not only on the
   * target (libvirt checks only that).
   */
  Mono<Void> refuseTakenName(String vm) {
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

  /**
   * The DEPLOY: inside the lane, PCI devices are chosen and reserved (so that a concurrent deploy
   * can't get the same ones), added as managed hostdevs, and the domain is defined and started.
   */
  private Mono<Operation> submitDeploy(
      Placement.Placed placed,
      VmTemplate template,
      DomainXml domain,
      List<PciMatch> pci,
      Caller caller) {
    Host host = placed.host();
    OperationRequest op = deployRequest(domain.name(), host.name(), caller);
    MemoryPromise promise =
        placed.promise() != null
            ? placed.promise()
            : memory.promiseAnyway(host.name(), template.memory());
    return operations.submit(
        op,
        deployWork(host, domain, pci, placed.explanation(), caller.name(), promise),
        VmReplays.deploy(host.name(), template, role(caller), pci, placed.explanation()));
  }

  /**
   * The DEPLOY's work (also rebuilt after a restart, from what {@link VmReplays} kept). It ends
   * {@code promise} when it ends, or when the operation ends without running it.
   */
  OperationWork deployWork(
      Host host,
      DomainXml domain,
      List<PciMatch> pci,
      Map<String, Object> placement,
      String principal,
      MemoryPromise promise) {
    return new OperationWork() {
      @Override
      public Mono<?> run(OperationContext ctx) {
        return passthrough
            .reserve(host.ref(), domain.name(), pci)
            .flatMap(
                devices ->
                    libvirt
                        .defineAndStart(
                            host.ref(),
                            withPassthrough(domain, devices),
                            DeploymentMarkXml.deployed(ctx.operationId(), principal))
                        // the host's next reading counts the domain; until then, the promise
                        .doOnNext(s -> promise.domainDefined())
                        .map(s -> deployed(s, host, domain, devices, placement)))
            .doFinally(
                signal -> {
                  passthrough.release(host.ref(), domain.name());
                  promise.end();
                });
      }

      @Override
      public void ended() {
        promise.end();
      }
    };
  }

  private static DomainXml withPassthrough(DomainXml domain, List<PciDevice> devices) {
    if (devices.isEmpty()) {
      return domain;
    }
    List<HostdevXml> hostdevs =
        devices.stream().map(d -> HostdevXml.pci(PciAddress.parse(d.address()))).toList();
    return domain.withDevices(domain.devicesOrEmpty().withHostdevs(hostdevs));
  }

  private static Map<String, Object> deployed(
      DomainStatus s,
      Host host,
      DomainXml domain,
      List<PciDevice> devices,
      Map<String, Object> placement) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("vm", s.name());
    r.put("uuid", s.uuid());
    r.put("host", host.name());
    r.put("state", s.state().name());
    r.put("domainType", domain.type());
    if (!devices.isEmpty()) {
      r.put("pci", devices.stream().map(d -> d.address() + " " + d.type()).toList());
    }
    if (!placement.isEmpty()) {
      r.put("placement", placement);
    }
    return r;
  }

  private DomainXml build(VmTemplate template, Host host, Caller caller) {
    return build(template, host, role(caller));
  }

  /** The domain {@code template} makes on {@code host}, with what {@code role} may ask for. */
  DomainXml build(VmTemplate template, Host host, CallerRole role) {
    DomainType type = DomainType.fromXmlName(host.domainType()).orElse(DomainType.QEMU);
    return builder.build(template, new HostFacts(type, host.datastores()), role);
  }

  private static CallerRole role(Caller caller) {
    return caller.admin() ? CallerRole.ADMIN : CallerRole.USER;
  }

  /** Queues a lifecycle action on the VM's current host. */
  public Mono<Operation> act(
      String vm, LifecycleAction action, @Nullable String path, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                action == LifecycleAction.SHUTDOWN
                    ? refuseImported(found, "shutdown (power off)").thenReturn(found)
                    : Mono.just(found))
        .flatMap(
            found -> {
              Host host = found.host();
              String statePath =
                  action == LifecycleAction.SAVE || action == LifecycleAction.RESTORE
                      ? statePath(host, vm, path)
                      : null;
              OperationRequest op =
                  new OperationRequest(
                      action.kind(),
                      OperationTarget.vmOn(vm, host.name()),
                      caller.idempotencyKey(),
                      caller.name());
              return operations.submit(
                  op,
                  ctx -> run(host, vm, action, statePath),
                  VmReplays.lifecycle(host.name(), vm, action, statePath));
            });
  }

  /** A lifecycle action's work on {@code host} (also rebuilt after a restart). */
  Mono<Map<String, Object>> run(
      Host host, String vm, LifecycleAction action, @Nullable String statePath) {
    return switch (action) {
      case START -> lifecycle.simple(host, vm, DomainAction.START);
      case SHUTDOWN -> hasAcpi(host, vm).flatMap(acpi -> lifecycle.shutdown(host, vm, acpi));
      case CANCEL -> lifecycle.simple(host, vm, DomainAction.DESTROY);
      case REBOOT -> lifecycle.simple(host, vm, DomainAction.REBOOT);
      case RESET -> lifecycle.simple(host, vm, DomainAction.RESET);
      case SUSPEND -> lifecycle.simple(host, vm, DomainAction.SUSPEND);
      case RESUME -> lifecycle.simple(host, vm, DomainAction.RESUME);
      case SAVE -> lifecycle.save(host, vm, requirePath(statePath));
      case RESTORE -> lifecycle.restore(host, vm, requirePath(statePath));
    };
  }

  private static String requirePath(@Nullable String path) {
    if (path == null) {
      throw new IllegalStateException("save and restore always resolve a path first");
    }
    return path;
  }

  /** Whether the running domain has ACPI (only then can it hear the power button). */
  private Mono<Boolean> hasAcpi(Host host, String vm) {
    return libvirt
        .domainXml(host.ref(), vm, false)
        .map(d -> d.features() != null && d.features().acpi() != null);
  }

  /**
   * The save file: the caller's, if it lies under one of the host's datastores, else {@code <first
   * datastore>/<vm>.save}.
   */
  private static String statePath(Host host, String vm, @Nullable String requested) {
    if (requested == null || requested.isBlank()) {
      if (host.datastores().isEmpty()) {
        throw Problems.of(
            HttpStatus.CONFLICT,
            "No datastore",
            "host '" + host.name() + "' has no datastore to save to: give a path");
      }
      return host.datastores().get(0).resolve(vm + ".save").toString();
    }
    String problem = DatastorePaths.problem(requested, host.datastores());
    if (problem != null) {
      throw Problems.invalid(
          "path " + problem, List.of(Map.of("field", "path", "message", problem)));
    }
    return requested;
  }

  /**
   * OpenNebula's KVM driver guide: "Poweroff" is not offered for VMs imported from outside. Their
   * definition was not written by this service, so nothing guarantees it can be started again as it
   * was.
   */
  private Mono<Void> refuseImported(VmLocator.Located found, String what) {
    return mark(found)
        .filter(DeploymentMarkXml::wasImported)
        .flatMap(
            m ->
                Mono.error(
                    Problems.of(
                        HttpStatus.CONFLICT,
                        "Not offered for imported VMs",
                        what
                            + " is not offered for '"
                            + found.status().name()
                            + "', which was created outside virtflux and imported (as in"
                            + " OpenNebula's KVM driver); use cancel to stop it")));
  }

  private Mono<DeploymentMarkXml> mark(VmLocator.Located found) {
    return libvirt
        .markOf(found.host().ref(), found.status().name())
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * Makes a VM created elsewhere managed: an IMPORT operation puts the deployment mark on it
   * (virDomainSetMetadata, live and persistent). Lifecycle, hotplug and migration work on it as on
   * a deployed VM, except shutdown (OpenNebula's "Poweroff").
   */
  public Mono<Operation> importVm(String vm, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              if (found.status().managed()) {
                return Mono.error(
                    Problems.of(
                        HttpStatus.CONFLICT,
                        "Already managed",
                        "VM '" + vm + "' is already managed by virtflux"));
              }
              Host host = found.host();
              return operations.submit(
                  new OperationRequest(
                      OperationKind.IMPORT,
                      OperationTarget.vmOn(vm, host.name()),
                      caller.idempotencyKey(),
                      caller.name()),
                  ctx -> importWork(host, vm, ctx.operationId(), caller.name()),
                  VmReplays.importing(host.name(), vm));
            });
  }

  /** The IMPORT's work: marks the domain as imported (also rebuilt after a restart). */
  Mono<Map<String, Object>> importWork(Host host, String vm, String operationId, String principal) {
    return libvirt
        .mark(host.ref(), vm, DeploymentMarkXml.imported(operationId, principal))
        .then(libvirt.status(host.ref(), vm))
        .map(
            s -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("vm", vm);
              r.put("host", host.name());
              r.put("state", s.state().name());
              r.put("managed", s.managed());
              r.put("imported", true);
              return r;
            });
  }

  /** Destroys (when running) and undefines the VM. */
  public Mono<Operation> remove(String vm, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                operations.submit(
                    new OperationRequest(
                        OperationKind.DESTROY,
                        OperationTarget.vmOn(vm, found.host().name()),
                        caller.idempotencyKey(),
                        caller.name()),
                    ctx -> removeWork(found.host(), vm),
                    VmReplays.removal(found.host().name(), vm)));
  }

  /** The DESTROY's work: destroys when running, then undefines (also rebuilt after a restart). */
  Mono<Map<String, Object>> removeWork(Host host, String vm) {
    return libvirt.status(host.ref(), vm).flatMap(s -> lifecycle.remove(host, s));
  }

  /** VMs on every reachable host, or on one. */
  public Flux<VmSummary> list(@Nullable String hostName) {
    List<Host> targets = hostName == null ? hosts.all() : List.of(hosts.require(hostName));
    return Flux.fromIterable(targets)
        .filter(h -> h.status() != HostStatus.OFFLINE)
        .flatMap(
            h ->
                libvirt
                    .list(h.ref())
                    .flatMapIterable(all -> all)
                    .map(s -> summary(h, s))
                    .onErrorResume(LibvirtFailure.class, e -> Flux.empty()))
        .sort(Comparator.comparing(VmSummary::host).thenComparing(VmSummary::name));
  }

  /** One VM with its devices, read from its live XML (or its definition when shut off). */
  public Mono<VmDetail> get(String vm) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                libvirt
                    .domainXml(found.host().ref(), vm, !found.status().state().active())
                    .map(domain -> VmDetail.of(found.host().name(), found.status(), domain)));
  }

  /** The VM's domain XML as libvirt has it now, libvirt's text unchanged. */
  public Mono<String> domainXml(String vm, boolean inactive) {
    return locator
        .locate(vm)
        .flatMap(found -> libvirt.domainXmlText(found.host().ref(), vm, inactive));
  }

  private static VmSummary summary(Host h, DomainStatus s) {
    return new VmSummary(
        s.name(), h.name(), s.state().name(), s.vcpus(), s.memoryKiB() / 1024, s.managed());
  }
}
