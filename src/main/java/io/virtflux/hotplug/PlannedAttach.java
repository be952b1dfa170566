package io.virtflux.hotplug;

import io.virtflux.host.HostRegistry;
import io.virtflux.hotplug.VmDevicesReader.Documents;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * An attach: planned once, when the request is accepted, and run as planned (the element is built
 * from the command, not from the VM's XML), so that the lane makes one libvirt call: the attach.
 * With the locator's status call and the one XML read of the plan, an attach takes three.
 *
 * <p>What changed while the command waited is left to libvirt, which refuses an attach that no
 * longer fits (a target taken meanwhile, in the running domain or in the definition; a LIVE change
 * of a VM that was shut off). Then the VM's devices are read again, both documents, and the request
 * is planned again: a new plan (the next free target, the definition only) is attached instead; the
 * same plan means the VM was not the problem, and libvirt's refusal stands; a request the VM now
 * refuses fails with the same problem as a new request would.
 *
 * @param <C> the command
 * @param <R> its result record
 */
abstract class PlannedAttach<C extends HotplugCommand, R> extends HotplugHandler<C, R> {

  private static final Logger log = LoggerFactory.getLogger(PlannedAttach.class);

  PlannedAttach(String name, OperationKind kind, HostRegistry hosts, VmDevicesReader reader) {
    super(name, kind, hosts, reader);
  }

  /** libvirt's attach of what {@code planned} resolved, and its result. */
  abstract Mono<R> attach(C planned);

  @Override
  public final Mono<R> run(C planned, OperationContext context) {
    return attach(planned)
        .onErrorResume(
            LibvirtFailure.class,
            refused -> refused.hostOffline() ? Mono.error(refused) : planAgain(planned, refused));
  }

  private Mono<R> planAgain(C planned, LibvirtFailure refused) {
    return Mono.defer(
            () -> reader.read(hosts.require(planned.host()), planned.vm(), Documents.BOTH))
        .map(now -> plan(planned, now))
        .flatMap(
            again -> {
              if (again.equals(planned)) {
                return Mono.error(refused);
              }
              log.info(
                  "libvirt refused {} as planned ({}); planned again against the VM as it is: {}",
                  planned.kind(),
                  refused.getMessage(),
                  again);
              return attach(again);
            });
  }

  /** What the plan resolved: a journaled command always has it. */
  static <T> T resolved(@Nullable T value, HotplugCommand command) {
    if (value == null) {
      throw new IllegalStateException(
          "a " + command.kind() + " runs only once planned: " + command);
    }
    return value;
  }
}
