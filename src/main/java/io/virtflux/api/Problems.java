package io.virtflux.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Builds the RFC 9457 problems that features throw; Spring renders them as problem+json. */
public final class Problems {

  private Problems() {}

  public static ErrorResponseException of(HttpStatus status, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setTitle(title);
    body.setType(type(title));
    return new ErrorResponseException(status, body, null);
  }

  /**
   * The problem type of a title: {@code urn:virtflux:problem:} and the title in lower case with
   * dashes, e.g. {@code urn:virtflux:problem:unknown-vm}. What a client tells problems apart by.
   */
  public static URI type(String title) {
    return URI.create("urn:virtflux:problem:" + slug(title));
  }

  /** A 400 listing every field that was refused, so a client can fix all of them at once. */
  public static ErrorResponseException invalid(String detail, List<Map<String, String>> errors) {
    ErrorResponseException e = of(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    e.getBody().setProperty("errors", errors);
    return e;
  }

  /**
   * A 400 with its own title that names the one refused field in {@code errors}, as {@link
   * #invalid} does: a client finds the offending field the same way in every 400.
   */
  public static ErrorResponseException invalidField(String title, String field, String message) {
    ErrorResponseException e = of(HttpStatus.BAD_REQUEST, title, field + " " + message);
    e.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
    return e;
  }

  private static String slug(String title) {
    return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
