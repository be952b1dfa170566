package io.virtflux.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * At most {@code virtflux.limits.event-streams-per-token} event streams open per token; one more is
 * refused with 429 and Retry-After until one of that token's streams ends. A slot is taken when the
 * stream's request passes authentication and given back when the stream ends for any reason
 * (completed, failed, or the client went away).
 */
@Component
final class EventStreamLimit implements WebFilter, Ordered {

  /** When to try again: a slot frees only when another stream of the token ends. */
  static final int RETRY_AFTER_SECONDS = 5;

  private static final List<PathPattern> STREAMS =
      List.of(
          PathPatternParser.defaultInstance.parse("/api/v1/events"),
          PathPatternParser.defaultInstance.parse("/api/v1/operations/{id}/events"));

  private final int perToken;
  private final Map<String, Semaphore> open = new ConcurrentHashMap<>();
  private final ProblemWriter problems;
  private final LimitMetrics metrics;

  EventStreamLimit(RequestLimitProperties limits, ProblemWriter problems, LimitMetrics metrics) {
    this.perToken = limits.eventStreamsPerToken();
    this.problems = problems;
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!isStream(exchange)) {
      return chain.filter(exchange);
    }
    return PerToken.limit(
        exchange,
        chain,
        name -> {
          // one entry per configured token name: bounded by the configuration
          Semaphore slots = open.computeIfAbsent(name, n -> new Semaphore(perToken));
          if (!slots.tryAcquire()) {
            return refuse(exchange);
          }
          return chain.filter(exchange).doFinally(signal -> slots.release());
        });
  }

  private static boolean isStream(ServerWebExchange exchange) {
    if (exchange.getRequest().getMethod() != HttpMethod.GET) {
      return false;
    }
    var path = exchange.getRequest().getPath().pathWithinApplication();
    return STREAMS.stream().anyMatch(pattern -> pattern.matches(path));
  }

  private Mono<Void> refuse(ServerWebExchange exchange) {
    metrics.refused(LimitMetrics.STREAMS);
    exchange
        .getResponse()
        .getHeaders()
        .set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    return problems.write(
        exchange,
        ProblemWriter.problem(
            exchange,
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-event-streams",
            "Too many event streams",
            "this token already holds "
                + perToken
                + " event streams open (virtflux.limits.event-streams-per-token); close one or"
                + " retry after "
                + RETRY_AFTER_SECONDS
                + " s"));
  }

  @Override
  public int getOrder() {
    return 0;
  }
}
