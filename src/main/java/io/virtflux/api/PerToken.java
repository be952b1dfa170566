package io.virtflux.api;

import java.security.Principal;
import java.util.function.Function;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** What the per-token limits share: the request's token name, once authentication ran. */
final class PerToken {

  private PerToken() {}

  /**
   * {@code limited} with the name of the request's token; the chain as is when there is none (a
   * public path, or authentication already answered).
   */
  static Mono<Void> limit(
      ServerWebExchange exchange, WebFilterChain chain, Function<String, Mono<Void>> limited) {
    return exchange
        .getPrincipal()
        .map(Principal::getName)
        .defaultIfEmpty("")
        .flatMap(name -> name.isEmpty() ? chain.filter(exchange) : limited.apply(name));
  }
}
