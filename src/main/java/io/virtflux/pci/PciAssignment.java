package io.virtflux.pci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Matches PCI requests to distinct free devices. A greedy pass can fail where an assignment exists
 * ({@code 10de::} takes the only T4 that {@code 10de:1eb8:} needed), so this is a bipartite
 * matching (Kuhn's augmenting paths): it finds an assignment whenever one exists.
 */
public final class PciAssignment {

  private PciAssignment() {}

  /**
   * One device per request, in request order, none held by a VM or in {@code unavailable}; empty
   * when no such assignment exists.
   */
  public static Optional<List<PciDevice>> assign(
      List<PciMatch> requests, List<PciDevice> inventory, Collection<String> unavailable) {
    List<PciDevice> free =
        inventory.stream().filter(d -> d.free() && !unavailable.contains(d.address())).toList();
    int[] ownerOf = new int[free.size()];
    Arrays.fill(ownerOf, -1);
    for (int r = 0; r < requests.size(); r++) {
      if (!augment(r, requests, free, ownerOf, new boolean[free.size()])) {
        return Optional.empty();
      }
    }
    PciDevice[] chosen = new PciDevice[requests.size()];
    for (int d = 0; d < free.size(); d++) {
      if (ownerOf[d] >= 0) {
        chosen[ownerOf[d]] = free.get(d);
      }
    }
    return Optional.of(List.of(chosen));
  }

  private static boolean augment(
      int r, List<PciMatch> requests, List<PciDevice> free, int[] ownerOf, boolean[] seen) {
    for (int d = 0; d < free.size(); d++) {
      if (seen[d] || !requests.get(r).matches(free.get(d))) {
        continue;
      }
      seen[d] = true;
      if (ownerOf[d] < 0 || augment(ownerOf[d], requests, free, ownerOf, seen)) {
        ownerOf[d] = r;
        return true;
      }
    }
    return false;
  }

  /** The requests, for messages: {@code [10de::0302, ::0300]}. */
  public static List<String> describe(List<PciMatch> requests) {
    List<String> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.toString()));
    return out;
  }
}
