package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bodies of lifecycle operations: each one libvirt call, except shutdown, which follows
 * OpenNebula's KVM driver guide (ACPI shutdown, wait up to SHUTDOWN_TIMEOUT, then destroy if
 * FORCE_DESTROY, else fail; a VM without ACPI is destroyed at once when CANCEL_NO_ACPI is set).
 */
@Component
class VmLifecycle {

  private final LibvirtGateway libvirt;
  private final LifecycleProperties properties;

  VmLifecycle(LibvirtGateway libvirt, LifecycleProperties properties) {
    this.libvirt = libvirt;
    this.properties = properties;
  }

  /** Runs a one-call action and reports the state libvirt shows afterwards. */
  Mono<VmLifecycleResult> simple(Host host, String vm, DomainAction action) {
    return libvirt
        .act(host.ref(), vm, action)
        .then(libvirt.status(host.ref(), vm))
        .map(s -> result(host, s, action.name().toLowerCase(Locale.ROOT)));
  }

  Mono<VmLifecycleResult> shutdown(Host host, String vm, boolean acpi) {
    if (!acpi && properties.cancelNoAcpi()) {
      return destroy(host, vm, "destroy: the VM has no ACPI and cancelNoAcpi is set");
    }
    Duration timeout = properties.shutdownTimeout();
    return libvirt
        .act(host.ref(), vm, DomainAction.SHUTDOWN)
        .then(waitForShutoff(host, vm, timeout))
        .onErrorResume(
            TimeoutException.class,
            e -> {
              if (properties.forceDestroy()) {
                return destroy(
                    host, vm, "destroy: no ACPI shutdown within " + timeout + " (forceDestroy)");
              }
              return Mono.error(
                  Problems.of(
                      HttpStatus.GATEWAY_TIMEOUT,
                      "Shutdown timed out",
                      "VM '"
                          + vm
                          + "' did not power off within "
                          + timeout
                          + " of the ACPI shutdown request; it is still running. Cancel it, or"
                          + " enable virtflux.vm.lifecycle.force-destroy"));
            });
  }

  private Mono<VmLifecycleResult> waitForShutoff(Host host, String vm, Duration timeout) {
    // a tick that comes while a read is still running is skipped: a loaded host answers slower
    // than the poll interval, and an interval that can't emit fails the whole wait
    return Flux.interval(properties.pollInterval())
        .onBackpressureDrop()
        .concatMap(tick -> libvirt.status(host.ref(), vm))
        .filter(s -> !s.state().active())
        .next()
        .timeout(timeout, Mono.error(TimeoutException::new))
        .map(s -> result(host, s, "acpi shutdown"));
  }

  private Mono<VmLifecycleResult> destroy(Host host, String vm, String how) {
    return libvirt
        .act(host.ref(), vm, DomainAction.DESTROY)
        .then(libvirt.status(host.ref(), vm))
        .map(s -> result(host, s, how));
  }

  Mono<VmLifecycleResult> save(Host host, String vm, String path) {
    return withPath(libvirt.save(host.ref(), vm, path), host, vm, "save", path);
  }

  Mono<VmLifecycleResult> restore(Host host, String vm, String path) {
    return withPath(libvirt.restore(host.ref(), path), host, vm, "restore", path);
  }

  /** Runs a call on a state file and reports the VM's state afterwards, with the file's path. */
  private Mono<VmLifecycleResult> withPath(
      Mono<Void> call, Host host, String vm, String how, String path) {
    return call.then(libvirt.status(host.ref(), vm)).map(s -> result(host, s, how, path));
  }

  private static VmLifecycleResult result(Host host, DomainStatus s, String how) {
    return result(host, s, how, null);
  }

  private static VmLifecycleResult result(
      Host host, DomainStatus s, String how, @Nullable String path) {
    return new VmLifecycleResult(s.name(), host.name(), s.state().name(), how, path);
  }
}
