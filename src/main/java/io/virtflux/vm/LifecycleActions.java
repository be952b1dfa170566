package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs the lifecycle actions (START, SHUTDOWN, CANCEL, REBOOT, RESET, SUSPEND, RESUME, SAVE,
 * RESTORE) on the VM's host, by {@link VmLifecycle}.
 */
@Component
class LifecycleActions implements CommandHandler<LifecycleActions.Lifecycle, VmLifecycleResult> {

  /**
   * A lifecycle action on {@code vm}.
   *
   * @param host the host the VM was on when the action was accepted
   * @param vm the VM
   * @param action what to do
   * @param statePath for SAVE and RESTORE, the state file, already resolved under a datastore
   */
  record Lifecycle(String host, String vm, LifecycleAction action, @Nullable String statePath)
      implements Command {

    @Override
    public OperationKind kind() {
      return action.kind();
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.vmOn(vm, host);
    }
  }

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;
  private final VmLifecycle lifecycle;

  LifecycleActions(HostRegistry hosts, LibvirtGateway libvirt, VmLifecycle lifecycle) {
    this.hosts = hosts;
    this.libvirt = libvirt;
    this.lifecycle = lifecycle;
  }

  @Override
  public String name() {
    return "vm-lifecycle";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Arrays.stream(LifecycleAction.values())
        .map(LifecycleAction::kind)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The host is still registered (404 "no such host" otherwise), and a shutdown is not asked of an
   * imported VM (409).
   */
  @Override
  public Mono<Void> check(Lifecycle command) {
    return Mono.defer(
        () -> {
          Host host = hosts.require(command.host());
          return command.action() == LifecycleAction.SHUTDOWN
              ? refuseImported(host, command.vm(), "shutdown (power off)")
              : Mono.empty();
        });
  }

  @Override
  public Mono<VmLifecycleResult> run(Lifecycle command, OperationContext context) {
    Host host = hosts.require(command.host());
    String vm = command.vm();
    return switch (command.action()) {
      case START -> lifecycle.simple(host, vm, DomainAction.START);
      case SHUTDOWN -> hasAcpi(host, vm).flatMap(acpi -> lifecycle.shutdown(host, vm, acpi));
      case CANCEL -> lifecycle.simple(host, vm, DomainAction.DESTROY);
      case REBOOT -> lifecycle.simple(host, vm, DomainAction.REBOOT);
      case RESET -> lifecycle.simple(host, vm, DomainAction.RESET);
      case SUSPEND -> lifecycle.simple(host, vm, DomainAction.SUSPEND);
      case RESUME -> lifecycle.simple(host, vm, DomainAction.RESUME);
      case SAVE -> lifecycle.save(host, vm, requirePath(command.statePath()));
      case RESTORE -> lifecycle.restore(host, vm, requirePath(command.statePath()));
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
   * OpenNebula's KVM driver guide: "Poweroff" is not offered for VMs imported from outside. Their
   * definition was not written by this service, so nothing guarantees it can be started again as it
   * was.
   */
  private Mono<Void> refuseImported(Host host, String vm, String what) {
    return libvirt
        .markOf(host.ref(), vm)
        .onErrorResume(e -> Mono.empty())
        .filter(DeploymentMarkXml::wasImported)
        .flatMap(
            m ->
                Mono.error(
                    Problems.of(
                        HttpStatus.CONFLICT,
                        "Not offered for imported VMs",
                        what
                            + " is not offered for '"
                            + vm
                            + "', which was created outside virtflux and imported (as in"
                            + " OpenNebula's KVM driver); use cancel to stop it")));
  }
}
