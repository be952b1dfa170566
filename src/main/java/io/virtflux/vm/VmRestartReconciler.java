package io.virtflux.vm;

import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.VmState;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.RestartReconciler;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * After a restart, asks a VM's host what a lifecycle operation left RUNNING actually did: a deploy,
 * start or resume whose domain runs succeeded, a shutdown whose domain is off succeeded, a delete
 * whose domain is gone succeeded, a migration whose domain runs on the destination succeeded.
 * Hotplug, import and sync cannot be told from the domain's state alone: those are not reconciled
 * (they fail "Service restarted", as before).
 */
@Component
class VmRestartReconciler implements RestartReconciler {

  private static final Set<OperationKind> RUNS =
      Set.of(
          OperationKind.DEPLOY,
          OperationKind.START,
          OperationKind.RESUME,
          OperationKind.RESTORE,
          OperationKind.REBOOT,
          OperationKind.RESET,
          OperationKind.MIGRATE);

  private static final Set<OperationKind> STOPS =
      Set.of(OperationKind.SHUTDOWN, OperationKind.CANCEL, OperationKind.SAVE);

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;

  VmRestartReconciler(HostRegistry hosts, LibvirtGateway libvirt) {
    this.hosts = hosts;
    this.libvirt = libvirt;
  }

  @Override
  public Mono<Seen> reconcile(Operation running) {
    String vm = running.target().vm();
    List<String> targets = running.target().hosts();
    OperationKind kind = running.kind();
    boolean known =
        RUNS.contains(kind)
            || STOPS.contains(kind)
            || kind == OperationKind.SUSPEND
            || kind == OperationKind.DESTROY;
    if (vm == null || targets.isEmpty() || !known) {
      return Mono.empty();
    }
    // a migration's effect is on its destination
    String host = kind == OperationKind.MIGRATE ? targets.get(targets.size() - 1) : targets.get(0);
    return Mono.defer(() -> libvirt.status(hosts.require(host).ref(), vm))
        .map(status -> Optional.of(status.state()))
        .onErrorResume(
            LibvirtFailure.class,
            e ->
                LibvirtFailure.TYPE_UNKNOWN_VM.equals(e.getBody().getType())
                    ? Mono.just(Optional.empty())
                    : Mono.error(e))
        .map(state -> seen(kind, vm, host, state));
  }

  /** Whether {@code state} (empty: no such domain) is what {@code kind} leaves behind. */
  static Seen seen(OperationKind kind, String vm, String host, Optional<VmState> state) {
    String observation =
        state
            .map(s -> "VM " + vm + " is " + s + " on " + host)
            .orElse("no VM " + vm + " on " + host);
    boolean done;
    if (kind == OperationKind.DESTROY) {
      done = state.isEmpty();
    } else if (kind == OperationKind.SUSPEND) {
      done = state.filter(s -> s == VmState.PAUSED).isPresent();
    } else if (STOPS.contains(kind)) {
      done = state.map(s -> !s.active()).orElse(false);
    } else {
      done = state.filter(s -> s == VmState.RUNNING || s == VmState.BLOCKED).isPresent();
    }
    return new Seen(done, observation);
  }
}
