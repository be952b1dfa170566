package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/** The service's REST API as integration tests use it: submit, then follow the operation. */
final class Api {

  static final String ADMIN_TOKEN = "it-admin-token-0123456789abcdef";
  static final String VIEWER_TOKEN = "it-viewer-token-0123456789abcdef";
  static final String OPERATOR_TOKEN = "it-operator-token-0123456789abcdef";

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
      new ParameterizedTypeReference<>() {};

  private final WebTestClient client;

  Api(WebTestClient client) {
    this.client =
        client
            .mutate()
            .responseTimeout(Duration.ofMinutes(3))
            .defaultHeader("Authorization", "Bearer " + ADMIN_TOKEN)
            .build();
  }

  WebTestClient client() {
    return client;
  }

  /** POST that must answer 202 with an operation; returns it. */
  Map<String, Object> submit(String path, Object body) {
    return accepted(HttpMethod.POST, path, body);
  }

  Map<String, Object> deploy(String host, Map<String, Object> template) {
    return submit("/api/v1/vms", Map.of("host", host, "template", template));
  }

  /** DELETE the VM (destroy + undefine) and wait until that operation succeeded. */
  Map<String, Object> remove(String vm) {
    @SuppressWarnings("unchecked")
    Map<String, Object> op =
        client
            .delete()
            .uri("/api/v1/vms/{vm}", vm)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return succeeded(op);
  }

  Map<String, Object> action(String vm, String action) {
    return submit("/api/v1/vms/" + vm + "/actions/" + action, null);
  }

  /**
   * The service's client for {@code baseUrl}, on event loops of its own (Netty's default transport,
   * as production's clients use), so that a test's client never shares threads with the service
   * under test in the same JVM. (The test JVMs once ran on NIO for requests that hung with every
   * thread idle: that was Reactor Netty 1.3.6 no longer reading a keep-alive connection, fixed in
   * 1.3.8, which production takes; see README, "Keep-alive".)
   */
  static WebTestClient clientFor(String baseUrl) {
    return WebTestClient.bindToServer(new ReactorClientHttpConnector(CLIENT))
        .baseUrl(baseUrl)
        .build();
  }

  private static final HttpClient CLIENT =
      HttpClient.create().runOn(LoopResources.create("it-client"));

  /** The event stream {@code uri} (GET, text/event-stream, must answer 200), comments included. */
  Flux<ServerSentEvent<Map<String, Object>>> stream(String uri, Object... variables) {
    return client
        .get()
        .uri(uri, variables)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(SSE)
        .getResponseBody();
  }

  /** The operation's events from the start until its terminal one (the stream then completes). */
  List<ServerSentEvent<Map<String, Object>>> events(String operationId) {
    return stream("/api/v1/operations/{id}/events", operationId)
        .filter(e -> e.data() != null)
        .collectList()
        .block(Duration.ofMinutes(3));
  }

  /**
   * Subscribes to the VM events of {@code vm} and returns, once the stream is connected (no later
   * event can be missed), the first {@code event: vm} whose {@code event} is {@code type}.
   */
  @SuppressWarnings("unchecked")
  CompletableFuture<Map<String, Object>> nextVmEvent(String vm, String type) {
    return onceConnected(
        "/api/v1/events?type=vm&vm=" + vm,
        events ->
            events
                .filter(e -> "vm".equals(e.event()) && e.data() != null)
                .filter(e -> type.equals(e.data().get("event")))
                .map(e -> (Map<String, Object>) e.data())
                .next());
  }

  /**
   * Subscribes to the state changes of host {@code host} and returns, once the stream is connected,
   * the {@code event: host} states in order until one is {@code last} (that one included).
   */
  CompletableFuture<List<String>> hostStates(String host, String last) {
    return onceConnected(
        "/api/v1/events?type=host&host=" + host,
        events ->
            events
                .filter(e -> "host".equals(e.event()) && e.data() != null)
                .map(e -> String.valueOf(e.data().get("state")))
                .takeUntil(last::equals)
                .collectList());
  }

  /**
   * Opens the event stream {@code uri}, and returns what {@code collect} makes of its events once
   * the stream said {@code :connected} (from then on no event can be missed).
   */
  private <T> CompletableFuture<T> onceConnected(
      String uri, Function<Flux<ServerSentEvent<Map<String, Object>>>, Mono<T>> collect) {
    Sinks.Empty<Void> connected = Sinks.empty();
    CompletableFuture<T> result =
        collect
            .apply(
                stream(uri)
                    .doOnNext(
                        e -> {
                          if ("connected".equals(e.comment())) {
                            connected.tryEmitEmpty();
                          }
                        }))
            .toFuture();
    connected.asMono().block(Duration.ofSeconds(10));
    return result;
  }

  /** Follows the operation to its end and returns its terminal state. */
  Map<String, Object> await(Map<String, Object> op) {
    events(String.valueOf(op.get("id")));
    return get("/api/v1/operations/" + op.get("id"));
  }

  /** Polls the operation until it reaches {@code phase} (fails after 30 s). */
  void awaitPhase(String id, String phase) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!phase.equals(get("/api/v1/operations/" + id).get("phase"))) {
      assertThat(System.nanoTime()).as("operation %s reaching %s", id, phase).isLessThan(deadline);
      io.virtflux.lab.Guests.sleep(20);
    }
  }

  /** Submits, follows, and asserts SUCCEEDED (showing the error otherwise). */
  Map<String, Object> succeeded(Map<String, Object> op) {
    Map<String, Object> done = await(op);
    assertThat(done.get("phase")).as("operation %s: %s", op.get("id"), done).isEqualTo("SUCCEEDED");
    return done;
  }

  Map<String, Object> get(String path) {
    return client
        .get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  /** The VM's domain XML: live, or the persistent definition. */
  String domainXml(String vm, boolean inactive) {
    return client
        .get()
        .uri("/api/v1/vms/{vm}/xml?inactive={inactive}", vm, inactive)
        .accept(MediaType.APPLICATION_XML)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  /** A request the service must refuse with {@code status} and a problem; returns the problem. */
  Map<String, Object> refused(HttpMethod method, String path, Object body, int status) {
    var spec = client.method(method).uri(path);
    var exchange =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    return exchange
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  /** Any request answering 202 with an operation (PUT, DELETE); returns it. */
  Map<String, Object> accepted(HttpMethod method, String path, Object body) {
    var spec = client.method(method).uri(path);
    var exchange =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    Map<String, Object> op =
        exchange.expectStatus().isAccepted().expectBody(JSON).returnResult().getResponseBody();
    assertThat(op).containsKeys("id", "kind", "phase");
    return op;
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Map<String, Object> map, String... path) {
    Object o = map;
    for (String p : path) {
      o = ((Map<String, Object>) o).get(p);
    }
    return (T) o;
  }
}
