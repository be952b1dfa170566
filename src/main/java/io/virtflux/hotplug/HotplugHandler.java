package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.hotplug.VmDevicesReader.Documents;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationKind;
import io.virtflux.vm.template.TemplateViolationException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * What every hotplug handler shares: one kind, refused while the VM's migration is queued or
 * running, and the two checks of a request.
 *
 * <p>{@link #plan} checks the request against the VM's devices (a target taken, a device missing)
 * when {@link HotplugService} accepts it, so that bad input is a 4xx and nothing is queued. It
 * needs libvirt's XML, so the pipeline's {@link #check}, which runs at submission and again at
 * admission, does not plan: it checks what needs no libvirt call, once more when the command is
 * admitted (a host removed meanwhile, the policy of a restarted service). What changed on the VM
 * while the command waited is the business of {@link #run}: see {@link PlannedAttach} and {@link
 * ExistingDeviceHandler}.
 *
 * @param <C> the command
 * @param <R> its result record
 */
abstract class HotplugHandler<C extends HotplugCommand, R> implements CommandHandler<C, R> {

  private final String name;
  private final OperationKind kind;
  final HostRegistry hosts;
  final VmDevicesReader reader;

  HotplugHandler(String name, OperationKind kind, HostRegistry hosts, VmDevicesReader reader) {
    this.name = name;
    this.kind = kind;
    this.hosts = hosts;
    this.reader = reader;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Set<OperationKind> kinds() {
    return Set.of(kind);
  }

  /** A VM that moves has no stable devices to change: wait for the migration or cancel it. */
  @Override
  public final Set<OperationKind> conflictsWith() {
    return Set.of(OperationKind.MIGRATE);
  }

  /** The host is still registered (404 otherwise), and the command passes {@link #checkRules}. */
  @Override
  public final Mono<Void> check(C command) {
    return Mono.fromRunnable(() -> checkRules(command, hosts.require(command.host())));
  }

  /**
   * Checks of the command that need no libvirt call, with the service's policy as it is now: a 4xx
   * problem when it no longer passes. Nothing by default.
   */
  void checkRules(C command, Host host) {}

  /** Which of the VM's XML documents {@link #plan} needs, for a VM in {@code status}. */
  abstract Documents documents(C asked, DomainStatus status);

  /**
   * Checks {@code asked} against the VM's devices and returns the command to journal, with what it
   * resolved (a target, a MAC, where the change applies). Throws a 4xx problem when the request
   * cannot be done. Depends only on what was asked, never on what an earlier plan resolved.
   */
  abstract C plan(C asked, VmDevices devices);

  /** {@code asked} planned against the VM as the locator just found it ({@code status}). */
  final Mono<C> planned(C asked, Host host, DomainStatus status) {
    return reader.read(host, status, documents(asked, status)).map(devices -> plan(asked, devices));
  }

  /**
   * What {@code rules} of the device templates return; their refusal becomes the 400 problem the
   * API answers for a refused template, also in the lane, where anything but a problem would end
   * the operation as an internal error.
   */
  static <T> T byTemplateRules(Supplier<T> rules) {
    try {
      return rules.get();
    } catch (TemplateViolationException e) {
      throw Problems.invalid(
          "the template was refused",
          e.violations().stream()
              .map(v -> Map.of("field", v.field(), "message", v.message()))
              .toList());
    }
  }
}
