package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.operation.OperationContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Waits until a detached device is really gone. libvirt's detach only asks QEMU to unplug; QEMU
 * asks the guest (ACPI or PCIe hotplug), and a guest that is paused or ignores the request keeps
 * the device while libvirt, after waiting five seconds, reports success. So the device counts as
 * detached only once it is missing from the live domain XML (or the domain stopped), as
 * OpenNebula's detach scripts re-check {@code dumpxml}. libvirt-java 0.5.4 has no listener for
 * libvirt's device-removed event, so the XML is polled.
 */
@Component
class DetachConfirmation {

  private final LibvirtGateway libvirt;
  private final HotplugProperties properties;

  DetachConfirmation(LibvirtGateway libvirt, HotplugProperties properties) {
    this.libvirt = libvirt;
    this.properties = properties;
  }

  /**
   * Runs {@code detach}, then polls until {@code present} no longer finds the device in the live
   * XML; fails with a 504 problem when the guest has not released it within the timeout (counted
   * from the detach request, since libvirt itself waits in it).
   */
  Mono<Void> detachAndConfirm(
      OperationContext ctx,
      Host host,
      String vm,
      Mono<Void> detach,
      Predicate<DevicesXml> present,
      String what) {
    Duration timeout = properties.detachTimeout();
    Mono<Void> gone =
        Mono.fromRunnable(
                () ->
                    ctx.progress(
                        Map.of(
                            "step",
                            "waiting for the guest to release " + what,
                            "timeoutSeconds",
                            timeout.toSeconds())))
            .then(
                // as in a shutdown's wait: a read slower than the interval skips ticks
                Flux.interval(Duration.ZERO, properties.pollInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> stillThere(host, vm, present))
                    .filter(there -> !there)
                    .next()
                    .then());
    return detach
        .then(gone)
        .timeout(timeout, Mono.error(TimeoutException::new))
        .onErrorMap(
            TimeoutException.class,
            e ->
                Problems.of(
                    HttpStatus.GATEWAY_TIMEOUT,
                    "Device not released",
                    "the guest did not release "
                        + what
                        + " of VM '"
                        + vm
                        + "' within "
                        + timeout.toSeconds()
                        + " s: it is still in the running domain (a paused guest, or one that"
                        + " ignores hotplug requests, keeps it). QEMU's unplug request stays"
                        + " pending, so the guest may still release it later, e.g. once"
                        + " resumed"));
  }

  private Mono<Boolean> stillThere(Host host, String vm, Predicate<DevicesXml> present) {
    return libvirt
        .status(host.ref(), vm)
        .flatMap(
            s ->
                !s.state().active()
                    ? Mono.just(false)
                    : libvirt
                        .domainXml(host.ref(), vm, false)
                        .map(domain -> present.test(domain.devicesOrEmpty())));
  }
}
