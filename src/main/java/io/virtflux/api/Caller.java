package io.virtflux.api;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who sends a request, as far as a feature needs to know.
 *
 * @param admin whether the caller holds the admin role (RAW may then be unrestricted)
 * @param idempotencyKey the request's {@code Idempotency-Key} header
 */
public record Caller(String name, boolean admin, @Nullable String idempotencyKey) {

  /** The header that makes a repeated request return the operation of the first one. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The name of a caller without a token (only on routes that need none). */
  public static final String ANONYMOUS = "anonymous";

  /** The caller of the current request, from the security context and the request's headers. */
  public static Mono<Caller> of(ServerWebExchange exchange) {
    String key = exchange.getRequest().getHeaders().getFirst(IDEMPOTENCY_KEY);
    return exchange
        .getPrincipal()
        .map(p -> p instanceof Authentication a ? of(a, key) : new Caller(p.getName(), false, key))
        .defaultIfEmpty(new Caller(ANONYMOUS, false, key));
  }

  private static Caller of(Authentication a, @Nullable String key) {
    boolean admin =
        a.getAuthorities().stream().anyMatch(g -> "ROLE_ADMIN".equals(g.getAuthority()));
    return new Caller(a.getName(), admin, key);
  }
}
