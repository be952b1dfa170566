package io.virtflux.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtflux.api.Caller;
import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Operations;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciInventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * {@code onehost sync}: a HOST_SYNC operation re-reads the host's facts (capabilities, node info),
 * its domains and its PCI devices, updates the host's record and reports what changed. With {@code
 * force} the connection is dropped and opened again first (new keepalive, lifecycle listener
 * registered again), even when nothing seems wrong.
 */
@Service
class HostSync implements CommandHandler<HostSync.Sync, HostSync.HostSyncResult> {

  /** A HOST_SYNC of {@code host}; {@code force} reconnects first. */
  record Sync(String host, boolean force) implements Command {
    @Override
    public OperationKind kind() {
      return OperationKind.HOST_SYNC;
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.host(host);
    }
  }

  /**
   * What a sync found.
   *
   * @param host the host
   * @param state its state after the sync
   * @param reason why it is not ONLINE, when it is not
   * @param reconnected whether the connection was opened again first ({@code force})
   * @param changes what differs from the host's record before the sync, one line per change
   * @param domains how many domains the host has
   * @param pciDevices how many PCI devices it has
   */
  record HostSyncResult(
      String host,
      String state,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String reason,
      boolean reconnected,
      List<String> changes,
      int domains,
      int pciDevices) {}

  private final HostRegistry registry;
  private final HostProber prober;
  private final LibvirtGateway libvirt;
  private final PciInventory pci;
  private final Operations operations;

  HostSync(
      HostRegistry registry,
      HostProber prober,
      LibvirtGateway libvirt,
      PciInventory pci,
      Operations operations) {
    this.registry = registry;
    this.prober = prober;
    this.libvirt = libvirt;
    this.pci = pci;
    this.operations = operations;
  }

  Mono<Operation> sync(String name, boolean force, Caller caller) {
    Host host = registry.require(name);
    return operations.submit(new Sync(host.name(), force), caller.idempotencyKey(), caller.name());
  }

  @Override
  public String name() {
    return "host-sync";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Set.of(OperationKind.HOST_SYNC);
  }

  /** The host is still registered: one removed meanwhile fails with 404 "no such host". */
  @Override
  public Mono<Void> check(Sync command) {
    return Mono.fromRunnable(() -> registry.require(command.host()));
  }

  @Override
  public Mono<HostSyncResult> run(Sync command, OperationContext context) {
    String name = command.host();
    boolean force = command.force();
    Host before = registry.require(name);
    Mono<Void> reconnect = force ? libvirt.disconnect(before.ref()) : Mono.empty();
    return reconnect
        .then(prober.probe(name))
        .flatMap(
            probed ->
                probed.status() != HostStatus.ONLINE
                    ? Mono.just(probed)
                    : pci.devices(probed.ref())
                        .map(
                            table -> {
                              registry.update(name, h -> h.withPci(table));
                              return registry.require(name);
                            }))
        .map(after -> result(before, after, force));
  }

  private static HostSyncResult result(Host before, Host after, boolean force) {
    List<String> changes = new ArrayList<>();
    if (before.state() != after.state()) {
      changes.add("state " + before.state() + " -> " + after.state());
    }
    facts(before.facts(), after.facts(), changes);
    domains(before.domains(), after.domains(), changes);
    if (after.pci() != null) {
      pci(before.pci() == null ? List.of() : before.pci(), after.pci(), changes);
    }
    return new HostSyncResult(
        after.name(),
        after.state().name(),
        after.reason(),
        force,
        changes,
        after.domains().size(),
        after.pci() == null ? 0 : after.pci().size());
  }

  private static void facts(HostFacts a, HostFacts b, List<String> changes) {
    if (a == null || b == null) {
      return;
    }
    change("libvirt", a.libvirtVersion(), b.libvirtVersion(), changes);
    change("hypervisor", a.hypervisorVersion(), b.hypervisorVersion(), changes);
    change("cpus", a.cpus(), b.cpus(), changes);
    change("memoryKiB", a.memoryKiB(), b.memoryKiB(), changes);
    // compared as parsed: KVM, CPU, IOMMU and machine types, what the service acts on; a change
    // only in what the model does not read (NUMA cells, CPU features) is not reported
    if (!Objects.equals(a.capabilities(), b.capabilities())) {
      changes.add("capabilities changed");
    }
  }

  private static void domains(List<DomainStats> a, List<DomainStats> b, List<String> changes) {
    Map<String, DomainStats> was = index(a, DomainStats::name);
    Map<String, DomainStats> is = index(b, DomainStats::name);
    is.forEach(
        (vm, now) -> {
          DomainStats then = was.get(vm);
          if (then == null) {
            changes.add("domain " + vm + " appeared (" + now.state() + ")");
          } else if (then.state() != now.state()) {
            changes.add("domain " + vm + " " + then.state() + " -> " + now.state());
          }
        });
    was.keySet().stream()
        .filter(vm -> !is.containsKey(vm))
        .forEach(vm -> changes.add("domain " + vm + " disappeared"));
  }

  private static void pci(List<PciDevice> a, List<PciDevice> b, List<String> changes) {
    Map<String, PciDevice> was = index(a, PciDevice::address);
    Map<String, PciDevice> is = index(b, PciDevice::address);
    is.forEach(
        (address, now) -> {
          PciDevice then = was.get(address);
          if (then == null) {
            changes.add("PCI " + address + " " + now.type() + " appeared");
          } else if (!Objects.equals(then.vm(), now.vm())) {
            changes.add("PCI " + address + " holder " + then.vm() + " -> " + now.vm());
          }
        });
    was.keySet().stream()
        .filter(address -> !is.containsKey(address))
        .forEach(address -> changes.add("PCI " + address + " disappeared"));
  }

  private static void change(String what, Object a, Object b, List<String> changes) {
    if (!Objects.equals(a, b)) {
      changes.add(what + " " + a + " -> " + b);
    }
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.toMap(key, t -> t, (x, y) -> x, LinkedHashMap::new));
  }
}
