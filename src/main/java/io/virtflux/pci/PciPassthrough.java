package io.virtflux.pci;

import io.virtflux.api.Problems;
import io.virtflux.libvirt.HostRef;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * PCI passthrough at deploy: whether a host can satisfy a template's requests (at submission and
 * for placement), and, inside the deploy, the choice of devices under a reservation so that two
 * deploys never get the same one.
 */
@Service
public class PciPassthrough {

  private final PciInventory inventory;
  private final PciReservations reservations;

  PciPassthrough(PciInventory inventory, PciReservations reservations) {
    this.inventory = inventory;
    this.reservations = reservations;
  }

  /**
   * Why {@code host} can't satisfy {@code requests} now (ignoring reservations), or empty when it
   * can.
   */
  public Mono<Optional<String>> unmet(HostRef host, List<PciMatch> requests) {
    if (requests.isEmpty()) {
      return Mono.just(Optional.empty());
    }
    return inventory
        .devices(host)
        .map(
            all ->
                PciAssignment.assign(requests, all, List.of()).isPresent()
                    ? Optional.<String>empty()
                    : Optional.of(shortage(requests, all)));
  }

  /** Fails with a 409 problem, listing what was asked and what the host has, unless it fits. */
  public Mono<Void> check(HostRef host, List<PciMatch> requests) {
    if (requests.isEmpty()) {
      return Mono.empty();
    }
    return inventory
        .devices(host)
        .flatMap(
            all ->
                PciAssignment.assign(requests, all, List.of()).isPresent()
                    ? Mono.<Void>empty()
                    : Mono.error(noDevice(host, requests, all)));
  }

  /**
   * Chooses free devices for {@code vm} and promises them to it until {@link #release}; fails with
   * the same 409 problem as {@link #check} when another deploy took them meanwhile.
   */
  public Mono<List<PciDevice>> reserve(HostRef host, String vm, List<PciMatch> requests) {
    if (requests.isEmpty()) {
      return Mono.just(List.of());
    }
    return inventory
        .devices(host)
        .flatMap(
            all ->
                Mono.justOrEmpty(reservations.reserve(host.name(), vm, requests, all))
                    .switchIfEmpty(Mono.error(() -> noDevice(host, requests, all))));
  }

  /** Ends the promises of {@code vm}'s deploy (its domain holds the devices now, or it failed). */
  public void release(HostRef host, String vm) {
    reservations.release(host.name(), vm);
  }

  private static ErrorResponseException noDevice(
      HostRef host, List<PciMatch> requests, List<PciDevice> all) {
    ErrorResponseException e =
        Problems.of(
            HttpStatus.CONFLICT,
            "No free PCI device",
            "host '"
                + host.name()
                + "' can't satisfy the PCI requests: "
                + shortage(requests, all));
    e.getBody().setProperty("asked", PciAssignment.describe(requests));
    e.getBody()
        .setProperty(
            "matching",
            all.stream()
                .filter(d -> requests.stream().anyMatch(r -> r.matches(d)))
                .map(
                    d -> d.address() + " " + d.type() + (d.free() ? " free" : " held by " + d.vm()))
                .toList());
    return e;
  }

  /** "asked [10de::0302, 10de::0302]; matching: 0000:65:00.0 (held by gpu-1)". */
  static String shortage(List<PciMatch> requests, List<PciDevice> all) {
    List<String> matching =
        all.stream()
            .filter(d -> requests.stream().anyMatch(r -> r.matches(d)))
            .map(d -> d.address() + " " + d.type() + (d.free() ? "" : " (held by " + d.vm() + ")"))
            .toList();
    return "asked "
        + PciAssignment.describe(requests)
        + "; "
        + (matching.isEmpty()
            ? "it has no matching device (" + all.size() + " PCI devices)"
            : "matching: " + String.join(", ", matching));
  }
}
