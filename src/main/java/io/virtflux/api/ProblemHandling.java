package io.virtflux.api;

import io.virtflux.libvirt.xml.XmlFragmentException;
import io.virtflux.vm.template.TemplateViolationException;
import io.virtflux.vm.template.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Bad input answers 400 with a problem that lists every refused field, never a 500: bean validation
 * failures, template violations (paths outside datastores, unsafe names, refused RAW, …), RAW that
 * is not well-formed, bodies Jackson could not read (a wrong type, an unknown field, a number out
 * of range: named by their JSON path) and parameters that are missing, not of their type or out of
 * their bounds (named as the API names them). Everything else Spring already renders as
 * problem+json.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

  private final RequestLimitProperties limits;
  private final LimitMetrics metrics;

  ProblemHandling(RequestLimitProperties limits, LimitMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  /**
   * Every problem as application/problem+json, also where the mapping produces something else: an
   * event stream's 404 would otherwise go out as an SSE frame and an XML endpoint's as XML, which
   * no client parses as a problem.
   */
  @Override
  protected Mono<ResponseEntity<Object>> createResponseEntity(
      @Nullable Object body,
      @Nullable HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    HttpHeaders problemHeaders = new HttpHeaders();
    if (headers != null) {
      problemHeaders.putAll(headers);
    }
    if (body instanceof ProblemDetail) {
      problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
    return super.createResponseEntity(body, problemHeaders, status, exchange);
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

  /** The longest part of a parser's message that is repeated in a problem. */
  private static final int MAX_MESSAGE = 300;

  /**
   * A body Jackson could not read, or a parameter that could not be converted to its type. Spring
   * answers both with a bare "Failed to read HTTP message" or "Type mismatch.", naming nothing;
   * here the field is named by its JSON path ({@code template.disks[0].cache}), the parameter by
   * its name in the API. A body that is not JSON at all has no field: the detail says what is
   * wrong.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    JacksonException json = cause(ex, JacksonException.class);
    if (json != null) {
      String field = jsonPath(json);
      String message = describe(json);
      if (field.isEmpty()) {
        return problem(Problems.invalid("the request body " + message, List.of()), exchange);
      }
      return problem(
          Problems.invalid(
              field + " " + message, List.of(Map.of("field", field, "message", message))),
          exchange);
    }
    MethodParameter parameter = ex.getMethodParameter();
    if (parameter != null && parameterName(parameter) != null) {
      String name = parameterName(parameter);
      String message = "must be " + expected(parameter.getNestedParameterType());
      return problem(
          Problems.invalid(
              name + " " + message, List.of(Map.of("field", name, "message", message))),
          exchange);
    }
    return super.handleServerWebInputException(ex, headers, status, exchange);
  }

  /** A required parameter that is absent: named, as the other 400s name their field. */
  @Override
  protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(
      MissingRequestValueException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return problem(
        Problems.invalid(
            ex.getName() + " is required",
            List.of(Map.of("field", ex.getName(), "message", "is required"))),
        exchange);
  }

  /**
   * Parameters out of their bounds ({@code @Min}, {@code @Max} on page and size): Spring says only
   * "Validation failure"; here each one is named with its constraint's message.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    if (status.value() != HttpStatus.BAD_REQUEST.value()) {
      return super.handleHandlerMethodValidationException(ex, headers, status, exchange);
    }
    List<Map<String, String>> errors = new ArrayList<>();
    for (var result : ex.getParameterValidationResults()) {
      MethodParameter p = result.getMethodParameter();
      String name = parameterName(p);
      for (MessageSourceResolvable error : result.getResolvableErrors()) {
        errors.add(
            Map.of(
                "field",
                name == null ? String.valueOf(p.getParameterName()) : name,
                "message",
                String.valueOf(error.getDefaultMessage())));
      }
    }
    return problem(Problems.invalid("the request was refused", errors), exchange);
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** {@code template.disks[0].cache}: the path Jackson was at, as the API's fields are named. */
  private static String jsonPath(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String describe(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException) {
      return "is not a known field";
    }
    if (e instanceof InputCoercionException c) {
      return "is out of range"
          + (c.getTargetType() == null ? "" : " of " + expected(c.getTargetType()));
    }
    if (e.getPath().isEmpty()
        && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      // Jackson 3 reads an array nested in a list of strings ([["a"]]) as the list's end, then
      // finds the rest of the body left over: it no longer knows which field that was
      return "could not be read: a value has the wrong shape (an array inside a list of strings?)";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "must be " + expected(m.getTargetType());
    }
    if (e instanceof StreamConstraintsException) {
      return "exceeds a limit: " + cut(e.getOriginalMessage());
    }
    if (e.getPath().isEmpty()) {
      return "is not well-formed JSON: " + cut(e.getOriginalMessage());
    }
    return "was refused: " + cut(e.getOriginalMessage());
  }

  /** What a client must send for {@code type}, in JSON's terms. */
  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class) {
      return "an integer (32 bits)";
    }
    if (type == Long.class || type == long.class) {
      return "an integer (64 bits)";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  /** The name a client gives the parameter (its annotation's), or null for a body. */
  private static @Nullable String parameterName(MethodParameter p) {
    RequestParam param = p.getParameterAnnotation(RequestParam.class);
    if (param != null) {
      return named(param.name(), param.value(), p);
    }
    RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
    if (header != null) {
      return named(header.name(), header.value(), p);
    }
    PathVariable path = p.getParameterAnnotation(PathVariable.class);
    if (path != null) {
      return named(path.name(), path.value(), p);
    }
    return null;
  }

  private static @Nullable String named(String name, String value, MethodParameter p) {
    return !name.isEmpty() ? name : !value.isEmpty() ? value : p.getParameterName();
  }

  private static String cut(@Nullable String message) {
    String m = String.valueOf(message);
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
  }

  private Mono<ResponseEntity<Object>> problem(
      ErrorResponseException e, ServerWebExchange exchange) {
    return handleExceptionInternal(e, e.getBody(), e.getHeaders(), e.getStatusCode(), exchange);
  }

  private static Map<String, String> error(Violation v) {
    return Map.of("field", v.field(), "message", v.message());
  }
}
