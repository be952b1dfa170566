package io.virtflux.pci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Matching requests to free devices, and reservations under concurrent deploys. */
class PciAssignmentTest {

  private static PciDevice dev(String address, String type, String vm) {
    String[] p = type.split(":");
    return new PciDevice(
        address, address.substring(5), p[0], p[1], p[2], "00", type, null, null, null, vm);
  }

  private static final PciDevice T4 = dev("0000:65:00.0", "10de:1eb8:0302", null);
  private static final PciDevice K2 = dev("0000:66:00.0", "10de:11bf:0300", null);

  @Test
  void findsAnAssignmentWhereAGreedyPassWouldNot() {
    // greedy: 10de:: takes the T4 first, and 10de:1eb8: is left with nothing
    List<PciMatch> requests =
        List.of(new PciMatch("10de", null, null), new PciMatch("10de", "1eb8", null));
    Optional<List<PciDevice>> chosen = PciAssignment.assign(requests, List.of(T4, K2), List.of());
    assertThat(chosen).hasValueSatisfying(c -> assertThat(c).containsExactly(K2, T4));
  }

  @Test
  void heldAndUnavailableDevicesAreNotChosen() {
    List<PciMatch> any = List.of(new PciMatch("10de", null, null));
    assertThat(PciAssignment.assign(any, List.of(T4.heldBy("vm-1")), List.of())).isEmpty();
    assertThat(PciAssignment.assign(any, List.of(T4), List.of(T4.address()))).isEmpty();
    assertThat(PciAssignment.assign(List.of(), List.of(), List.of())).hasValue(List.of());
  }

  @Test
  void ofManyConcurrentReservationsForTheLastDeviceExactlyOneWins() throws Exception {
    PciReservations reservations = new PciReservations();
    List<PciMatch> any = List.of(new PciMatch(null, null, "0302"));
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Boolean>> racers = new ArrayList<>();
    IntStream.range(0, 16)
        .forEach(
            i ->
                racers.add(
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            start.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return reservations.reserve("h", "vm-" + i, any, List.of(T4)).isPresent();
                        })));
    start.countDown();
    assertThat(racers.stream().map(CompletableFuture::join).filter(won -> won)).hasSize(1);
    reservations.release("h", "vm-nobody");
    assertThat(reservations.reserve("h", "late", any, List.of(T4))).isEmpty();
  }
}
