package io.virtflux.api;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * At most {@code virtflux.limits.submissions-per-second} changes (POST, PUT, PATCH, DELETE under
 * {@code /api/v1}) per token per second; beyond that 429 with Retry-After, before the request is
 * read or anything is queued. Reads and event streams are not counted. Runs after authentication:
 * the bucket is the token's name.
 *
 * <p>Each token has a resilience4j {@link RateLimiter} (a lock-free permit count refreshed every
 * second) asked with no timeout, so a refusal never waits on the event loop.
 */
@Component
final class SubmissionRateLimit implements WebFilter, Ordered {

  private static final Set<HttpMethod> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final RateLimiterRegistry limiters;
  private final int perSecond;
  private final ProblemWriter problems;
  private final LimitMetrics metrics;

  SubmissionRateLimit(RequestLimitProperties limits, ProblemWriter problems, LimitMetrics metrics) {
    this.perSecond = limits.submissionsPerSecond();
    this.limiters =
        RateLimiterRegistry.of(
            RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    this.problems = problems;
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (READS.contains(exchange.getRequest().getMethod())
        || !exchange.getRequest().getPath().value().startsWith("/api/v1/")) {
      return chain.filter(exchange);
    }
    return PerToken.limit(
        exchange,
        chain,
        name ->
            limiters.rateLimiter(name).acquirePermission()
                ? chain.filter(exchange)
                : refuse(exchange));
  }

  private Mono<Void> refuse(ServerWebExchange exchange) {
    metrics.refused(LimitMetrics.RATE);
    // permits are refreshed every second: the next one is at most a second away
    long seconds = 1;
    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    return problems.write(
        exchange,
        ProblemWriter.problem(
            exchange,
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-submissions",
            "Too many submissions",
            "this token may send "
                + perSecond
                + " changes per second (virtflux.limits.submissions-per-second); nothing was"
                + " queued: retry after "
                + seconds
                + " s"));
  }

  @Override
  public int getOrder() {
    return 0;
  }
}
