package io.virtflux.operation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How {@link HostLeases} spreads hosts over the live replicas (rendezvous hashing). */
class RendezvousTest {

  private static final List<String> HOSTS =
      IntStream.range(0, 300).mapToObj(i -> "host-" + i).toList();

  @Test
  void everyReplicaGetsAShareOfTheHosts() {
    Map<String, Integer> owned = new HashMap<>();
    List<String> replicas = List.of("replica-0", "replica-1", "replica-2");
    HOSTS.forEach(h -> owned.merge(HostLeases.chosen(h, replicas), 1, Integer::sum));
    assertThat(owned).containsOnlyKeys(replicas);
    assertThat(owned.values()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
  }

  @Test
  void aReplicaThatLeavesMovesOnlyItsOwnHosts() {
    List<String> three = List.of("replica-0", "replica-1", "replica-2");
    List<String> two = List.of("replica-0", "replica-2");
    for (String host : HOSTS) {
      String before = HostLeases.chosen(host, three);
      String after = HostLeases.chosen(host, two);
      if (!"replica-1".equals(before)) {
        assertThat(after).as(host).isEqualTo(before);
      }
    }
  }

  @Test
  void noLiveReplicaChoosesNone() {
    assertThat(HostLeases.chosen("host-0", List.of())).isNull();
  }
}
