package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;

/**
 * One host's operation events as a client follows them ({@code GET /api/v1/events}), across
 * restarts of the service: what arrived, and how the stream ended (completed, or cut).
 */
final class FollowedEvents {

  private final List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
  private final Disposable subscription;
  private volatile boolean completed;
  private volatile @Nullable Throwable error;

  private FollowedEvents(Api api, String host, @Nullable String lastEventId) {
    String uri =
        "/api/v1/events?type=operation&host="
            + host
            + (lastEventId == null ? "" : "&lastEventId=" + lastEventId);
    subscription =
        api.stream(uri)
            .filter(e -> "operation".equals(e.event()) && e.data() != null)
            .subscribe(events::add, e -> error = e, () -> completed = true);
  }

  /** Follows {@code host}'s operation events from now, or from after {@code lastEventId}. */
  static FollowedEvents follow(Api api, String host, @Nullable String lastEventId) {
    return new FollowedEvents(api, host, lastEventId);
  }

  List<ServerSentEvent<Map<String, Object>>> events() {
    return events;
  }

  /** The id of the last event that arrived. */
  String lastId() {
    return events.get(events.size() - 1).id();
  }

  /** The stream ended by the service closing it (not by an error or a cut connection). */
  boolean completed() {
    return completed;
  }

  @Nullable Throwable error() {
    return error;
  }

  void stop() {
    subscription.dispose();
  }

  void awaitDelivered(List<String> ids, String phase) {
    await(ids, List.of(phase), "delivered " + phase);
  }

  void awaitEnded(List<String> ids) {
    await(ids, List.of("SUCCEEDED", "FAILED", "CANCELLED"), "ended");
  }

  private void await(List<String> ids, List<String> phases, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Boolean> seen = new HashMap<>();
      for (ServerSentEvent<Map<String, Object>> e : events) {
        if (phases.contains(String.valueOf(e.data().get("phase")))) {
          seen.put(String.valueOf(e.data().get("id")), true);
        }
      }
      if (seen.keySet().containsAll(ids)) {
        return;
      }
      assertThat(System.nanoTime()).as("%s: %s of %s", what, seen, ids).isLessThan(deadline);
      Guests.sleep(100);
    }
  }

  /**
   * What a client saw over several streams (one per process, each resumed with the last id of the
   * one before) is the journal's record: ids grow and none comes twice, and each of {@code ids}
   * shows exactly its journaled events, in order.
   */
  static void assertSameAsTheJournal(Api api, List<String> ids, FollowedEvents... streams) {
    List<ServerSentEvent<Map<String, Object>>> all = new ArrayList<>();
    for (FollowedEvents stream : streams) {
      all.addAll(stream.events());
    }
    List<Long> seqs = all.stream().map(e -> Long.parseLong(e.id())).toList();
    assertThat(seqs).as("ids grow, none twice").isSorted().doesNotHaveDuplicates();
    for (String id : ids) {
      List<String> journaled =
          api.events(id).stream()
              .filter(e -> e.data() != null)
              .map(e -> e.id() + ":" + e.data().get("phase"))
              .toList();
      List<String> streamed =
          all.stream()
              .filter(e -> id.equals(e.data().get("id")))
              .map(e -> e.id() + ":" + e.data().get("phase"))
              .toList();
      assertThat(streamed).as("operation %s across the restart", id).isEqualTo(journaled);
    }
  }
}
