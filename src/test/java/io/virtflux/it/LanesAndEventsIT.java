package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

/** Lanes and the event stream, observed through real deploys on real hosts. */
class LanesAndEventsIT extends LabServiceTest {

  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
      new ParameterizedTypeReference<>() {};

  record Interval(Instant start, Instant end) {
    boolean overlaps(Interval o) {
      return start.isBefore(o.end) && o.start.isBefore(end);
    }
  }

  private List<Interval> deployThree(String host, String prefix) {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ops.add(api.deploy(host, Guests.template(prefix + i, 1)));
    }
    List<Interval> runs = new ArrayList<>();
    for (Map<String, Object> op : ops) {
      Map<String, Object> done = api.succeeded(op);
      runs.add(
          new Interval(
              Instant.parse(done.get("startedAt").toString()),
              Instant.parse(done.get("finishedAt").toString())));
    }
    for (int i = 0; i < 3; i++) {
      api.succeeded(api.action(prefix + i, "cancel"));
      api.remove(prefix + i);
    }
    return runs;
  }

  @Test
  void deploysOnASingleActionHostNeverOverlap() {
    List<Interval> runs = deployThree(SINGLE, "it-serial-");
    for (int i = 0; i < runs.size(); i++) {
      for (int j = i + 1; j < runs.size(); j++) {
        assertThat(runs.get(i).overlaps(runs.get(j)))
            .as("%s vs %s", runs.get(i), runs.get(j))
            .isFalse();
      }
    }
  }

  @Test
  void deploysOnAParallelCapableHostOverlap() {
    List<Interval> runs = deployThree(PARALLEL, "it-parallel-");
    long overlapping = 0;
    for (int i = 0; i < runs.size(); i++) {
      for (int j = i + 1; j < runs.size(); j++) {
        if (runs.get(i).overlaps(runs.get(j))) {
          overlapping++;
        }
      }
    }
    assertThat(overlapping).as("overlapping pairs among %s", runs).isPositive();
  }

  @Test
  void eventStreamShowsPhasesInOrderAndResumesFromLastEventId() {
    String vm = "it-sse";
    var live = api.stream("/api/v1/events?vm={vm}", vm).filter(e -> "operation".equals(e.event()));
    var firstThree = live.take(3).collectList().toFuture();
    Map<String, Object> op = api.deploy(PARALLEL, Guests.template(vm, 1));
    api.succeeded(op);
    List<ServerSentEvent<Map<String, Object>>> events = firstThree.join();

    assertThat(events)
        .extracting(e -> e.data().get("phase"))
        .containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();

    List<ServerSentEvent<Map<String, Object>>> resumed =
        api.client()
            .get()
            .uri("/api/v1/events?vm={vm}", vm)
            .header("Last-Event-ID", String.valueOf(ids.get(0)))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(SSE)
            .getResponseBody()
            .filter(e -> "operation".equals(e.event()))
            .take(2)
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(resumed)
        .extracting(ServerSentEvent::id)
        .containsExactly(String.valueOf(ids.get(1)), String.valueOf(ids.get(2)));

    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }
}
