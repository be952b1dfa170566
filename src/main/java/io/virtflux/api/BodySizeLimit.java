package io.virtflux.api;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request body whose Content-Length is larger than {@code virtflux.limits.max-body-size}
 * with 413, before any of it is read and before authentication, so an oversized body costs nothing
 * more. A chunked body has no length to judge up front: the codecs' in-memory limit, set to the
 * same value ({@link BodySizeCodecs}), stops it once it grows past the limit, and {@link
 * ProblemHandling} answers that with the same 413.
 */
@Component
final class BodySizeLimit implements WebFilter, Ordered {

  /** Before Spring Security's filter chain (-100). */
  static final int ORDER = -200;

  private final long max;
  private final ProblemWriter problems;
  private final LimitMetrics metrics;

  BodySizeLimit(RequestLimitProperties limits, ProblemWriter problems, LimitMetrics metrics) {
    this.max = limits.maxBodySize().toBytes();
    this.problems = problems;
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long declared = exchange.getRequest().getHeaders().getContentLength();
    if (declared > max) {
      metrics.refused(LimitMetrics.BODY);
      return problems.write(exchange, tooLarge(exchange, max));
    }
    return chain.filter(exchange);
  }

  static org.springframework.http.ProblemDetail tooLarge(ServerWebExchange exchange, long max) {
    return ProblemWriter.problem(
        exchange,
        HttpStatus.CONTENT_TOO_LARGE,
        "body-too-large",
        "Request body too large",
        "the request body is larger than "
            + max
            + " bytes (virtflux.limits.max-body-size); nothing was queued");
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
