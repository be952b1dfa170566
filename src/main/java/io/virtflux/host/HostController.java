package io.virtflux.host;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.operation.HostOwnership;
import io.virtflux.operation.LaneState;
import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.OperationResponses;
import io.virtflux.operation.OperationService;
import io.virtflux.operation.Phase;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciFilter;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Hosts: what the service knows about each libvirt host, and registering new ones. */
@RestController
@RequestMapping("/api/v1/hosts")
@Tag(name = "hosts")
class HostController {

  private final HostRegistry registry;
  private final HostProber prober;
  private final OperationService operations;
  private final RegisteredHosts registered;
  private final HostSync sync;
  private final MemoryPromises memory;

  private final HostOwnership ownership;

  HostController(
      MemoryPromises memory,
      HostRegistry registry,
      HostProber prober,
      OperationService operations,
      RegisteredHosts registered,
      HostSync sync,
      ObjectProvider<HostOwnership> ownership) {
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
    this.memory = memory;
    this.sync = sync;
    this.registry = registry;
    this.registered = registered;
    this.prober = prober;
    this.operations = operations;
  }

  @GetMapping
  @Operation(
      operationId = "listHosts",
      summary = "List hosts",
      description =
          "Every host with its state (ONLINE, OFFLINE, ERROR with the reason), the facts of its"
              + " last probe (versions, CPU, memory, KVM) and its lane (limit, running, queued).")
  Mono<List<HostView>> list() {
    return reactor.core.publisher.Flux.fromIterable(registry.all())
        // only hosts never probed are probed here: a list must not wait on an unreachable host
        .concatMap(h -> h.probedAt() == null ? prober.probe(h.name()) : Mono.just(h))
        .map(this::view)
        .collectList();
  }

  @GetMapping("/{name}")
  @Operation(
      operationId = "getHost",
      summary = "Show a host",
      description = "One host, as in the list.")
  Mono<HostView> get(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name) {
    return prober.probed(name).map(this::view);
  }

  @PostMapping
  @Operation(
      operationId = "registerHost",
      summary = "Register a host (admin)",
      description =
          "Stores the host (it survives a restart), adds it and probes it at once (virConnectOpen, virNodeGetInfo,"
              + " virConnectGetCapabilities). An unreachable host is registered as OFFLINE, not"
              + " refused: it becomes ONLINE at a later probe.")
  Mono<ResponseEntity<HostView>> register(
      @Valid @RequestBody HostConfig config, ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> registered.register(config, caller.name()))
        .flatMap(added -> prober.probe(added.name()))
        .map(h -> ResponseEntity.created(URI.create("/api/v1/hosts/" + h.name())).body(view(h)));
  }

  @PostMapping("/{name}/sync")
  @Operation(
      operationId = "syncHost",
      summary = "Sync a host (admin)",
      description =
          "Queues a HOST_SYNC operation (OpenNebula's onehost sync): re-reads the host's"
              + " capabilities and node info (virConnectGetCapabilities, virNodeGetInfo), every"
              + " domain (virDomainGetInfo) and the PCI devices (virNodeListDevices), updates the"
              + " host's record and lists what changed in the result. force=true drops the"
              + " connection and opens a new one first (keepalive and lifecycle events start"
              + " afresh). Allowed on a disabled host: it only reads.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> sync(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name,
      @RequestParam(defaultValue = "false") boolean force,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> sync.sync(name, force, caller))
        .map(OperationResponses::accepted);
  }

  @PostMapping("/{name}/disable")
  @Operation(
      operationId = "disableHost",
      summary = "Disable a host (admin)",
      description =
          "The host accepts no new operations (409) except a sync; running and queued ones"
              + " finish. Its state shows DISABLED. Survives a restart.")
  Mono<HostView> disable(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> registered.setDisabled(name, true, caller.name()))
        .map(this::view);
  }

  @PostMapping("/{name}/enable")
  @Operation(
      operationId = "enableHost",
      summary = "Enable a host (admin)",
      description = "Undoes disable.")
  Mono<HostView> enable(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> registered.setDisabled(name, false, caller.name()))
        .map(this::view);
  }

  @DeleteMapping("/{name}")
  @Operation(
      operationId = "removeHost",
      summary = "Remove a host (admin)",
      description =
          "Refuses (409) while operations are queued or running on the host, unless force=true,"
              + " which cancels the queued ones and lets the running ones finish. A host from the"
              + " configuration comes back at the next start: remove it there too. VMs on the host"
              + " are not touched.")
  Mono<ResponseEntity<Void>> remove(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name,
      @RequestParam(defaultValue = "false") boolean force,
      ServerWebExchange exchange) {
    registry.require(name);
    return Caller.of(exchange)
        .flatMap(
            caller ->
                pending(name, Phase.QUEUED)
                    .zipWith(pending(name, Phase.RUNNING))
                    .flatMap(
                        t -> {
                          List<io.virtflux.operation.Operation> queued = t.getT1();
                          List<io.virtflux.operation.Operation> running = t.getT2();
                          if (!force && !(queued.isEmpty() && running.isEmpty())) {
                            return Mono.error(
                                Problems.of(
                                    HttpStatus.CONFLICT,
                                    "Host busy",
                                    "host '"
                                        + name
                                        + "' has "
                                        + queued.size()
                                        + " queued and "
                                        + running.size()
                                        + " running operations; wait, or remove it with"
                                        + " force=true (cancels the queued ones)"));
                          }
                          Mono<Void> cancelled =
                              Flux.fromIterable(queued)
                                  .concatMap(
                                      op ->
                                          operations
                                              .cancel(op.id(), caller.name())
                                              .onErrorResume(e -> Mono.empty()))
                                  .then();
                          // running operations keep the connection until they end
                          return cancelled.then(registered.unregister(name, running.isEmpty()));
                        }))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private Mono<List<io.virtflux.operation.Operation>> pending(String host, Phase phase) {
    return operations
        .list(new OperationFilter(host, null, null, phase), 0, 1000)
        .map(page -> page.items());
  }

  private HostView view(Host h) {
    HostFacts f = h.facts();
    LaneState lane = operations.laneState(h.name());
    return new HostView(
        h.name(),
        h.config().uri(),
        h.transport(),
        h.state(),
        h.disabled() ? "disabled by an admin" : h.reason(),
        f == null ? null : f.hostname(),
        f == null ? null : f.hypervisorType(),
        f == null ? null : f.hypervisorVersion(),
        f == null ? null : f.libvirtVersion(),
        f == null ? null : new HostView.Cpu(f.cpuModel(), f.cpus(), f.cpuMhz()),
        memory
            .budget(h)
            .map(b -> new HostView.Memory(b.totalMiB(), b.freeMiB(), b.vmsMiB(), b.availableMiB()))
            .orElse(null),
        h.kvm(),
        h.domainType(),
        f == null ? null : f.domains(),
        h.datastores().stream().map(Object::toString).toList(),
        new HostView.Lane(h.laneLimit(), h.laneLimit() > 1, lane.running(), lane.queued()),
        h.probedAt(),
        h.since(),
        monitoring(h),
        h.pci() == null ? null : filtered(h),
        h.config().reservedMiB(),
        memory.promisedMiB(h.name()),
        ownership
            .owner(h.name())
            .filter(o -> ownership.shared() && o.replica() != null)
            .map(o -> new HostView.Owner(o.replica(), o.epoch()))
            .orElse(null));
  }

  private static HostView.@Nullable Monitoring monitoring(Host h) {
    HostFacts f = h.facts();
    if (f == null || h.probedAt() == null) {
      return null;
    }
    return new HostView.Monitoring(
        h.probedAt(),
        f.freeMemoryKiB() / 1024,
        h.domains().stream()
            .map(
                d ->
                    new HostView.VmUsage(
                        d.name(),
                        d.state(),
                        d.cpuTimeNs() / 1_000_000,
                        d.memoryKiB() / 1024,
                        d.maxMemoryKiB() / 1024,
                        d.vcpus()))
            .toList());
  }

  private static List<PciDevice> filtered(Host h) {
    PciFilter filter = h.pciFilter();
    return h.pci().stream().filter(filter::matches).toList();
  }
}
