package io.virtflux.host;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.operation.LaneState;
import io.virtflux.operation.OperationService;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Hosts: what the service knows about each libvirt host, and registering new ones. */
@RestController
@RequestMapping("/api/v1/hosts")
@Tag(name = "hosts", description = "libvirt hosts: state, facts, lanes")
class HostController {

  private final HostRegistry registry;
  private final HostProber prober;
  private final OperationService operations;
  private final RegisteredHosts registered;

  HostController(
      HostRegistry registry,
      HostProber prober,
      OperationService operations,
      RegisteredHosts registered) {
    this.registry = registry;
    this.registered = registered;
    this.prober = prober;
    this.operations = operations;
  }

  @GetMapping
  @Operation(
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
  @Operation(summary = "Show a host", description = "One host, as in the list.")
  Mono<HostView> get(@PathVariable String name) {
    return prober.probed(name).map(this::view);
  }

  @PostMapping
  @Operation(
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

  private HostView view(Host h) {
    HostFacts f = h.facts();
    LaneState lane = operations.laneState(h.name());
    return new HostView(
        h.name(),
        h.config().uri(),
        h.transport(),
        h.status(),
        h.reason(),
        f == null ? null : f.hostname(),
        f == null ? null : f.hypervisorType(),
        f == null ? null : f.hypervisorVersion(),
        f == null ? null : f.libvirtVersion(),
        f == null ? null : new HostView.Cpu(f.cpuModel(), f.cpus(), f.cpuMhz()),
        f == null ? null : new HostView.Memory(f.memoryKiB() / 1024, f.freeMemoryKiB() / 1024),
        h.kvm(),
        h.domainType(),
        f == null ? null : f.domains(),
        h.datastores().stream().map(Object::toString).toList(),
        new HostView.Lane(h.laneLimit(), h.laneLimit() > 1, lane.running(), lane.queued()),
        h.probedAt());
  }
}
