package io.virtflux.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem+json answer straight to the response, for the filters that refuse a request
 * before any controller sees it (authentication, limits): Spring's problem rendering only covers
 * what controllers throw.
 */
@Component
public final class ProblemWriter {

  private final JsonMapper json;

  public ProblemWriter(JsonMapper json) {
    this.json = json;
  }

  /** A problem with this status, title and detail, typed {@code urn:virtflux:problem:<type>}. */
  public static ProblemDetail problem(
      ServerWebExchange exchange, HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("urn:virtflux:problem:" + type));
    problem.setInstance(instance(exchange));
    return problem;
  }

  /**
   * The request's path as the problem's instance, or none when it is not a valid URI reference: a
   * path the firewall refuses may hold a stray {@code %}, and the refusal must not fail on it.
   */
  private static @Nullable URI instance(ServerWebExchange exchange) {
    try {
      return URI.create(exchange.getRequest().getPath().value());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Answers the exchange with {@code problem}; headers set before stay. */
  public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    byte[] body = json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
