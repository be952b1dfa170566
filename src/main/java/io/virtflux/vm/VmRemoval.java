package io.virtflux.vm;

import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.VmState;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs a DESTROY, the VM's removal: destroys it when it runs, then undefines it (with its
 * managed-save image and snapshots).
 */
@Component
class VmRemoval implements CommandHandler<VmRemoval.Removal, VmRemoval.VmRemovalResult> {

  /**
   * The removal of {@code vm}.
   *
   * @param host the host the VM was on when the removal was accepted
   * @param vm the VM
   */
  record Removal(String host, String vm) implements Command {

    @Override
    public OperationKind kind() {
      return OperationKind.DESTROY;
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.vmOn(vm, host);
    }
  }

  /**
   * A removed VM.
   *
   * @param vm the VM's name
   * @param host the host it was on
   * @param removed always true: the VM is gone
   */
  record VmRemovalResult(String vm, String host, boolean removed) {}

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;

  VmRemoval(HostRegistry hosts, LibvirtGateway libvirt) {
    this.hosts = hosts;
    this.libvirt = libvirt;
  }

  @Override
  public String name() {
    return "vm-remove";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Set.of(OperationKind.DESTROY);
  }

  /** The host is still registered: one removed meanwhile fails with 404 "no such host". */
  @Override
  public Mono<Void> check(Removal command) {
    return Mono.fromRunnable(() -> hosts.require(command.host()));
  }

  @Override
  public Mono<VmRemovalResult> run(Removal command, OperationContext context) {
    Host host = hosts.require(command.host());
    return libvirt.status(host.ref(), command.vm()).flatMap(status -> remove(host, status));
  }

  private Mono<VmRemovalResult> remove(Host host, DomainStatus status) {
    Mono<Void> stop =
        status.state() == VmState.SHUTOFF
            ? Mono.empty()
            : libvirt.act(host.ref(), status.name(), DomainAction.DESTROY);
    Mono<Void> forget =
        status.persistent()
            ? libvirt.act(host.ref(), status.name(), DomainAction.UNDEFINE)
            : Mono.empty();
    return stop.then(forget)
        .then(Mono.fromSupplier(() -> new VmRemovalResult(status.name(), host.name(), true)));
  }
}
