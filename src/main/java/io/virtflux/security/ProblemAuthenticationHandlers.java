package io.virtflux.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 as problem+json, like every other error of the API. */
final class ProblemAuthenticationHandlers {

  private ProblemAuthenticationHandlers() {}

  static ServerAuthenticationEntryPoint entryPoint(JsonMapper json) {
    return (exchange, e) -> {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"virtflux\"");
      return write(
          exchange,
          json,
          HttpStatus.UNAUTHORIZED,
          "Authentication required",
          "send 'Authorization: Bearer <token>' with a configured token");
    };
  }

  static ServerAccessDeniedHandler accessDenied(JsonMapper json) {
    return (exchange, e) ->
        write(
            exchange,
            json,
            HttpStatus.FORBIDDEN,
            "Not allowed",
            "the token's role does not allow "
                + exchange.getRequest().getMethod()
                + " "
                + exchange.getRequest().getPath().value());
  }

  private static Mono<Void> write(
      ServerWebExchange exchange, JsonMapper json, HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(
        URI.create(
            "urn:virtflux:problem:"
                + (status == HttpStatus.UNAUTHORIZED ? "unauthenticated" : "forbidden")));
    problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    byte[] body = json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
