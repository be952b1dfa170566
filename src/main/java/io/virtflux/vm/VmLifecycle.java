package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.VmState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
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
  Mono<Map<String, Object>> simple(Host host, String vm, DomainAction action) {
    return libvirt
        .act(host.ref(), vm, action)
        .then(libvirt.status(host.ref(), vm))
        .map(s -> result(host, s, action.name().toLowerCase(java.util.Locale.ROOT)));
  }

  Mono<Map<String, Object>> shutdown(Host host, String vm, boolean acpi) {
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

  private Mono<Map<String, Object>> waitForShutoff(Host host, String vm, Duration timeout) {
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

  private Mono<Map<String, Object>> destroy(Host host, String vm, String how) {
    return libvirt
        .act(host.ref(), vm, DomainAction.DESTROY)
        .then(libvirt.status(host.ref(), vm))
        .map(s -> result(host, s, how));
  }

  Mono<Map<String, Object>> save(Host host, String vm, String path) {
    return withPath(libvirt.save(host.ref(), vm, path), host, vm, "save", path);
  }

  Mono<Map<String, Object>> restore(Host host, String vm, String path) {
    return withPath(libvirt.restore(host.ref(), path), host, vm, "restore", path);
  }

  /** Runs a call on a state file and reports the VM's state afterwards, with the file's path. */
  private Mono<Map<String, Object>> withPath(
      Mono<Void> call, Host host, String vm, String how, String path) {
    return call.then(libvirt.status(host.ref(), vm))
        .map(
            s -> {
              Map<String, Object> r = result(host, s, how);
              r.put("path", path);
              return r;
            });
  }

  /** DELETE: destroy when running, then undefine (with its managed-save image and snapshots). */
  Mono<Map<String, Object>> remove(Host host, DomainStatus status) {
    Mono<Void> stop =
        status.state() == VmState.SHUTOFF
            ? Mono.empty()
            : libvirt.act(host.ref(), status.name(), DomainAction.DESTROY);
    Mono<Void> forget =
        status.persistent()
            ? libvirt.act(host.ref(), status.name(), DomainAction.UNDEFINE)
            : Mono.empty();
    return stop.then(forget)
        .then(
            Mono.fromSupplier(
                () -> {
                  Map<String, Object> r = new LinkedHashMap<>();
                  r.put("vm", status.name());
                  r.put("host", host.name());
                  r.put("removed", true);
                  return r;
                }));
  }

  private static Map<String, Object> result(Host host, DomainStatus s, String how) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("vm", s.name());
    r.put("host", host.name());
    r.put("state", s.state().name());
    r.put("action", how);
    return r;
  }
}
