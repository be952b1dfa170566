package io.virtflux.api;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses a request body larger than {@code virtflux.limits.max-body-size} with 413: at once when
 * its Content-Length says so (nothing of it is read), or as soon as a chunked body grows past the
 * limit while it is read. Runs before authentication, so an oversized body costs nothing more.
 *
 * <p>The chunked case ends the body with Spring's {@link DataBufferLimitException}, the one its
 * codecs raise at their own in-memory limit, so both become the same 413 ({@link ProblemHandling}).
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
    if (declared >= 0) {
      // the server reads no more than Content-Length
      return chain.filter(exchange);
    }
    return chain.filter(exchange.mutate().request(new Bounded(exchange.getRequest())).build());
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

  /** The request with a body that ends in an error once more than {@code max} bytes arrived. */
  private final class Bounded extends ServerHttpRequestDecorator {

    Bounded(ServerHttpRequest delegate) {
      super(delegate);
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return Flux.defer(
          () -> {
            long[] seen = {0};
            return super.getBody()
                .handle(
                    (buffer, sink) -> {
                      seen[0] += buffer.readableByteCount();
                      if (seen[0] > max) {
                        DataBufferUtils.release(buffer);
                        metrics.refused(LimitMetrics.BODY);
                        sink.error(
                            new DataBufferLimitException(
                                "the request body is larger than " + max + " bytes"));
                      } else {
                        sink.next(buffer);
                      }
                    });
          });
    }
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
