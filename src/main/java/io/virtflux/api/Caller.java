package io.virtflux.api;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who sends a request, as far as a feature needs to know.
 *
 * @param admin whether the caller holds the admin role (RAW may then be unrestricted)
 * @param idempotencyKey the request's {@code Idempotency-Key} with the request's fingerprint, as
 *     {@link IdempotencyKeyReader} checked and computed them; null without the header
 */
public record Caller(String name, boolean admin, @Nullable IdempotencyKey idempotencyKey) {

  /** The name of a caller without a token (only on routes that need none). */
  public static final String ANONYMOUS = "anonymous";

  /** The caller of the current request, from the security context and the request's headers. */
  public static Mono<Caller> of(ServerWebExchange exchange) {
    IdempotencyKey key = IdempotencyKeyReader.keyOf(exchange);
    return exchange
        .getPrincipal()
        .map(p -> p instanceof Authentication a ? of(a, key) : new Caller(p.getName(), false, key))
        .defaultIfEmpty(new Caller(ANONYMOUS, false, key));
  }

  private static Caller of(Authentication a, @Nullable IdempotencyKey key) {
    boolean admin =
        a.getAuthorities().stream().anyMatch(g -> "ROLE_ADMIN".equals(g.getAuthority()));
    return new Caller(a.getName(), admin, key);
  }
}
