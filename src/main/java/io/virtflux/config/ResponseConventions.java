package io.virtflux.config;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * What every answer of the API is, said once: a body springdoc leaves as {@code *}/{@code *} (a
 * method that does not name what it produces) is the JSON the service writes, a problem's schema is
 * {@code Problem}, and every 202 points at its operation with {@code Location}.
 */
final class ResponseConventions {

  private static final String ANY = "*/*";
  private static final String JSON = "application/json";

  private ResponseConventions() {}

  static void apply(Operation op) {
    if (op.getResponses() == null) {
      return;
    }
    op.getResponses()
        .forEach(
            (code, response) -> {
              json(response.getContent());
              if (response.getContent() != null) {
                response
                    .getContent()
                    .values()
                    .forEach(
                        media ->
                            media.setSchema(
                                ProblemResponses.problemInsteadOfProblemDetail(media.getSchema())));
              }
              if ("202".equals(code)) {
                located(response);
              }
            });
    if (op.getRequestBody() != null) {
      json(op.getRequestBody().getContent());
    }
  }

  private static void json(Content content) {
    if (content == null || !content.containsKey(ANY)) {
      return;
    }
    MediaType any = content.remove(ANY);
    content.putIfAbsent(JSON, any);
  }

  private static void located(ApiResponse accepted) {
    if (accepted.getHeaders() != null && accepted.getHeaders().containsKey("Location")) {
      return;
    }
    accepted.addHeaderObject(
        "Location",
        new Header()
            .description("the operation: /api/v1/operations/{id}")
            .required(true)
            .schema(new StringSchema().format("uri-reference")));
  }
}
