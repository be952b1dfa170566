package io.virtflux.operation;

import java.security.Principal;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who is asking, for {@link OperationRequest#principal()}. Reads the exchange's principal, which
 * Spring Security sets from its security context; without one, the caller is "anonymous".
 */
public final class Principals {

  public static final String ANONYMOUS = "anonymous";

  private Principals() {}

  public static Mono<String> nameOf(ServerWebExchange exchange) {
    return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty(ANONYMOUS);
  }
}
