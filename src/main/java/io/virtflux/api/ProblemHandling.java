package io.virtflux.api;

import io.virtflux.libvirt.xml.XmlFragmentException;
import io.virtflux.vm.template.TemplateViolationException;
import io.virtflux.vm.template.Violation;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Bad input answers 400 with a problem that lists every refused field, never a 500: bean validation
 * failures, template violations (paths outside datastores, unsafe names, refused RAW, …) and RAW
 * that is not well-formed. Everything else Spring already renders as problem+json.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

  private final RequestLimitProperties limits;
  private final LimitMetrics metrics;

  ProblemHandling(RequestLimitProperties limits, LimitMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  @ExceptionHandler(TemplateViolationException.class)
  Mono<ResponseEntity<Object>> template(TemplateViolationException e, ServerWebExchange exchange) {
    List<Map<String, String>> errors = e.violations().stream().map(ProblemHandling::error).toList();
    return problem(Problems.invalid("the template was refused", errors), exchange);
  }

  /**
   * A body (chunked: no Content-Length for {@link BodySizeLimit} to judge) that grew past the
   * codecs' in-memory limit, which {@link BodySizeCodecs} sets to the same value: the same 413.
   */
  @ExceptionHandler(ContentTooLargeException.class)
  Mono<ResponseEntity<Object>> tooLarge(ContentTooLargeException e, ServerWebExchange exchange) {
    metrics.refused(LimitMetrics.BODY);
    ProblemDetail body = BodySizeLimit.tooLarge(exchange, limits.maxBodySize().toBytes());
    return problem(new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, body, e), exchange);
  }

  @ExceptionHandler(XmlFragmentException.class)
  Mono<ResponseEntity<Object>> raw(XmlFragmentException e, ServerWebExchange exchange) {
    return problem(
        Problems.invalid(
            "RAW data is not well-formed XML",
            List.of(
                Map.of("field", "template.raw.data", "message", String.valueOf(e.getMessage())))),
        exchange);
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
      WebExchangeBindException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    List<Map<String, String>> errors =
        ex.getFieldErrors().stream()
            .map(
                f ->
                    Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
            .toList();
    return problem(Problems.invalid("the request body was refused", errors), exchange);
  }

  private Mono<ResponseEntity<Object>> problem(
      ErrorResponseException e, ServerWebExchange exchange) {
    return handleExceptionInternal(e, e.getBody(), e.getHeaders(), e.getStatusCode(), exchange);
  }

  private static Map<String, String> error(Violation v) {
    return Map.of("field", v.field(), "message", v.message());
  }
}
