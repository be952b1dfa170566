package io.virtflux.pci;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * PCI devices promised to deploys that are running but have not defined their domain yet. The
 * inventory shows a device as taken only once a domain holds it, so two deploys reading it at the
 * same time would both see the last free device; choosing and reserving under one lock per host
 * makes exactly one of them get it.
 */
@Component
public class PciReservations {

  /** host → device address → the VM it is promised to. */
  private final Map<String, Map<String, String>> reserved = new HashMap<>();

  /**
   * Chooses devices for {@code requests} among those free in {@code inventory} and not promised to
   * another deploy, and promises them to {@code vm}; empty when none fit.
   */
  public synchronized Optional<List<PciDevice>> reserve(
      String host, String vm, List<PciMatch> requests, List<PciDevice> inventory) {
    Map<String, String> promised = reserved.computeIfAbsent(host, h -> new HashMap<>());
    Optional<List<PciDevice>> chosen = PciAssignment.assign(requests, inventory, promised.keySet());
    chosen.ifPresent(devices -> devices.forEach(d -> promised.put(d.address(), vm)));
    return chosen;
  }

  /** Ends {@code vm}'s promises on {@code host}: its domain holds the devices now, or it failed. */
  public synchronized void release(String host, String vm) {
    Map<String, String> promised = reserved.get(host);
    if (promised != null) {
      promised.values().removeIf(vm::equals);
    }
  }
}
