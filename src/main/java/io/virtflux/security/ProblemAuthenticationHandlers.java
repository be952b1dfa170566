package io.virtflux.security;

import io.virtflux.api.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/** 401 and 403 as problem+json, like every other error of the API. */
final class ProblemAuthenticationHandlers {

  private ProblemAuthenticationHandlers() {}

  static ServerAuthenticationEntryPoint entryPoint(ProblemWriter problems) {
    return (exchange, e) -> {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"virtflux\"");
      return problems.write(
          exchange,
          ProblemWriter.problem(
              exchange,
              HttpStatus.UNAUTHORIZED,
              "unauthenticated",
              "Authentication required",
              "send 'Authorization: Bearer <token>' with a configured token"));
    };
  }

  static ServerAccessDeniedHandler accessDenied(ProblemWriter problems) {
    return (exchange, e) ->
        problems.write(
            exchange,
            ProblemWriter.problem(
                exchange,
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Not allowed",
                "the token's role does not allow "
                    + exchange.getRequest().getMethod()
                    + " "
                    + exchange.getRequest().getPath().value()));
  }
}
