package io.virtflux.security;

import io.virtflux.api.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;

/** 401, 403 and the firewall's 400 as problem+json, like every other error of the API. */
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

  /**
   * A URL that Spring Security's firewall refuses before anything else sees it (an encoded slash,
   * {@code %00}, {@code ..}, a non-printable character): its default answer is a bare 400 without a
   * body. No field can be named here (routing has not happened); the detail says what was found.
   */
  static ServerExchangeRejectedHandler rejected(ProblemWriter problems) {
    return (exchange, e) ->
        problems.write(
            exchange,
            ProblemWriter.problem(
                exchange,
                HttpStatus.BAD_REQUEST,
                "request-rejected",
                "Request rejected",
                String.valueOf(e.getMessage())));
  }
}
