package io.virtflux.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The service's REST and SSE API over Reactor Netty: non-blocking, so one client JVM can hold a
 * thousand event streams and keep hundreds of submissions in flight.
 */
final class ServiceClient {

  /** A response's status and body. */
  record Response(int status, String body) {
    /** The operation id of a 202 (or of any JSON with an "id" first). */
    String id() {
      return JsonFields.string(body, "id");
    }
  }

  /**
   * The client's own event loops, on Java NIO rather than Netty's native epoll. Under this
   * machine's gVisor kernel, epoll's edge-triggered wake-ups for a new outgoing connection are now
   * and then late by seconds: in the many-hosts run about one in a hundred submissions on a fresh
   * connection reached the service 5 to 6 s after it was sent (the service logged "New http
   * connection" only then) and hit the response timeout. With NIO there were none in the same run
   * (0 of 11,000, against 23), and a request's round trip is ~1 ms shorter. The service keeps
   * epoll: its accept and reads were never late.
   */
  private static final LoopResources LOOPS = LoopResources.create("bench-client");

  /**
   * A request that has no answer in this time is sent again, a POST with the same Idempotency-Key,
   * so the retry returns the operation the first one created. The figures keep the wait.
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  private static final int RETRIES = 3;

  private final HttpClient http;

  ServiceClient(int port, String token) {
    this.http =
        HttpClient.create(
                ConnectionProvider.builder("bench-" + port)
                    .maxConnections(2048)
                    .pendingAcquireMaxCount(-1)
                    .build())
            .runOn(LOOPS, false)
            .baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(RESPONSE_TIMEOUT)
            .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
  }

  Mono<Response> post(String path, String json) {
    return send("POST", path, json);
  }

  Mono<Response> get(String path) {
    return send("GET", path, null);
  }

  Mono<Response> delete(String path) {
    return send("DELETE", path, null);
  }

  private Mono<Response> send(String method, String path, String json) {
    String key = "POST".equals(method) ? java.util.UUID.randomUUID().toString() : null;
    var request =
        http.headers(
                h -> {
                  if (json != null) {
                    h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                  }
                  if (key != null) {
                    h.set("Idempotency-Key", key);
                  }
                })
            .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
            .uri(path);
    var sent =
        json == null
            ? request
            : request.send(
                Mono.fromCallable(
                    () -> Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8))));
    return sent.responseSingle(
            (response, body) ->
                body.asString(StandardCharsets.UTF_8)
                    .defaultIfEmpty("")
                    .map(text -> new Response(response.status().code(), text)))
        .retryWhen(
            reactor.util.retry.Retry.max(RETRIES)
                .filter(e -> e instanceof io.netty.handler.timeout.ReadTimeoutException));
  }

  /**
   * The raw bytes of an SSE stream ({@code path} with its query); parse them with {@link
   * SseParser}. The stream ends when the subscription is cancelled.
   */
  Flux<ByteBuf> stream(String path) {
    return http.headers(h -> h.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
        .responseTimeout(Duration.ofDays(1))
        .get()
        .uri(path)
        .responseContent();
  }
}
