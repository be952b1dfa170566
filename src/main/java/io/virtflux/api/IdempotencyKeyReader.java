package io.virtflux.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the {@code Idempotency-Key} of a change (POST, PUT, PATCH, DELETE under {@code /api/v1}). A
 * key that is empty, sent twice, longer than {@value IdempotencyKey#MAX_LENGTH} characters or
 * holding anything but printable ASCII is refused with 400 before the body is read. Otherwise the
 * body is read once, the request is fingerprinted (SHA-256 of method, path with query, and body
 * bytes), and the controllers get a request that replays the same bytes; {@link Caller#of} hands
 * key and fingerprint to the operation pipeline, which compares the fingerprint with the first
 * request's.
 *
 * <p>Why a filter over the raw bytes rather than a canonical form of the decoded request: every
 * keyed endpoint is covered at once, without each controller handing its body to {@link Caller},
 * and "the same request" needs no second definition beside Jackson's (key order, number forms,
 * duplicate keys). A client's retry resends the bytes it sent, which is what the draft's
 * fingerprint is for; a client that re-serialises differently gets a 422 naming the key, never
 * another request's operation. The body is bounded by {@code virtflux.limits.max-body-size} (the
 * codecs buffer as much to decode it anyway), and hashing a few KiB is less work on the event loop
 * than decoding them.
 */
@Component
final class IdempotencyKeyReader implements WebFilter, Ordered {

  /**
   * After authentication (Spring Security's chain, -100) and {@link SubmissionRateLimit} (0): the
   * body of a refused request is never read.
   */
  static final int ORDER = 10;

  private static final String ATTRIBUTE = IdempotencyKeyReader.class.getName() + ".key";
  private static final Set<HttpMethod> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final byte[] NO_BODY = new byte[0];

  private final int maxBody;
  private final ProblemWriter problems;
  private final LimitMetrics metrics;

  IdempotencyKeyReader(
      RequestLimitProperties limits, ProblemWriter problems, LimitMetrics metrics) {
    this.maxBody = (int) Math.min(Integer.MAX_VALUE, limits.maxBodySize().toBytes());
    this.problems = problems;
    this.metrics = metrics;
  }

  /** The checked key and fingerprint of this request, or null when it sent no key. */
  static @Nullable IdempotencyKey keyOf(ServerWebExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    List<String> sent = request.getHeaders().get(IdempotencyKey.HEADER);
    if (sent == null
        || READS.contains(request.getMethod())
        || !request.getPath().value().startsWith("/api/v1/")) {
      return chain.filter(exchange);
    }
    String key = sent.get(0);
    String refusal = sent.size() > 1 ? "is sent more than once" : refusal(key);
    if (refusal != null) {
      return problems.write(exchange, invalid(exchange, refusal));
    }
    return DataBufferUtils.join(request.getBody(), maxBody)
        .map(IdempotencyKeyReader::drained)
        .defaultIfEmpty(NO_BODY)
        .flatMap(
            body -> {
              exchange
                  .getAttributes()
                  .put(ATTRIBUTE, new IdempotencyKey(key, fingerprint(request, body)));
              return chain.filter(exchange.mutate().request(replaying(request, body)).build());
            })
        // a chunked body that grew past the limit: the same 413 as BodySizeLimit's
        .onErrorResume(
            DataBufferLimitException.class,
            e -> {
              metrics.refused(LimitMetrics.BODY);
              return problems.write(exchange, BodySizeLimit.tooLarge(exchange, maxBody));
            });
  }

  /**
   * Why {@code key} is refused, or null. Printable ASCII (U+0020 to U+007E) is what the draft's
   * Structured Field String may hold, and all that is safe to repeat in a problem and a log line.
   */
  static @Nullable String refusal(String key) {
    if (key.isEmpty()) {
      return "is empty";
    }
    if (key.length() > IdempotencyKey.MAX_LENGTH) {
      return "is longer than " + IdempotencyKey.MAX_LENGTH + " characters";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return String.format(
            "holds a character other than printable ASCII (U+%04X at position %d)", (int) c, i);
      }
    }
    return null;
  }

  /** Lowercase hex SHA-256 of the method, the path with its query, a line break, and the body. */
  static String fingerprint(ServerHttpRequest request, byte[] body) {
    URI uri = request.getURI();
    String target =
        request.getMethod().name()
            + " "
            + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
            + "\n";
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(target.getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The joined body as bytes; the (possibly pooled) buffer is released at once. */
  private static byte[] drained(DataBuffer joined) {
    try {
      byte[] bytes = new byte[joined.readableByteCount()];
      joined.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(joined);
    }
  }

  private static ServerHttpRequest replaying(ServerHttpRequest request, byte[] body) {
    return new ServerHttpRequestDecorator(request) {
      @Override
      public Flux<DataBuffer> getBody() {
        // a new buffer for each reader (a decoder releases what it reads); none for no body, so
        // that an optional body stays absent
        return Flux.defer(
            () ->
                body.length == 0
                    ? Flux.empty()
                    : Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
      }
    };
  }

  private static ProblemDetail invalid(ServerWebExchange exchange, String refusal) {
    ProblemDetail problem =
        ProblemWriter.problem(
            exchange,
            HttpStatus.BAD_REQUEST,
            "invalid-idempotency-key",
            "Invalid Idempotency-Key",
            IdempotencyKey.HEADER
                + " "
                + refusal
                + " (1 to "
                + IdempotencyKey.MAX_LENGTH
                + " printable ASCII characters); nothing was queued");
    problem.setProperty(
        "errors", List.of(Map.of("field", IdempotencyKey.HEADER, "message", refusal)));
    return problem;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
