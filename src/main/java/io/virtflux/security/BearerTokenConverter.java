package io.virtflux.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Reads {@code Authorization: Bearer <token>}; no header means anonymous, not an error. */
class BearerTokenConverter implements ServerAuthenticationConverter {

  private static final String PREFIX = "bearer ";

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null
        || header.length() <= PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Mono.empty();
    }
    String token = header.substring(PREFIX.length()).trim();
    return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("bearer", token));
  }
}
