package io.virtflux.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Documents, on every API operation, the responses that every operation of its shape can give, each
 * with an RFC 9457 problem example: 401 and 403 everywhere; 400 where a body or parameters are
 * read; 404 where the path names a host, VM, operation or device; 409 for changes (state
 * conflicts); and 202 instead of 200 for requests that queue an operation, which may also answer
 * 503 (the service stopping, or its journal unwritable). Done once here rather than repeated on
 * each controller method, so no endpoint can forget one.
 */
@Component
class ProblemResponses implements OpenApiCustomizer {

  static final String PROBLEM = "application/problem+json";

  @Override
  public void customise(OpenAPI api) {
    api.getComponents().addSchemas("Problem", problemSchema());
    IdempotencyKeyDocs.declare(api);
    if (api.getPaths() == null) {
      return;
    }
    api.getPaths()
        .forEach(
            (path, item) -> {
              if (!path.startsWith("/api/")) {
                return;
              }
              item.readOperationsMap().forEach((method, op) -> document(path, method, op));
            });
  }

  private static void document(String path, PathItem.HttpMethod method, Operation op) {
    ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
    op.setResponses(responses);
    boolean change = method != PathItem.HttpMethod.GET;
    if (change && acceptedInsteadOfOk(responses)) {
      IdempotencyKeyDocs.accept(op);
    }
    boolean reads =
        op.getRequestBody() != null
            || (op.getParameters() != null && !op.getParameters().isEmpty());
    if (reads) {
      add(
          responses,
          "400",
          "The request was refused: every offending field is listed; nothing was queued",
          problem(
              400,
              "Bad Request",
              "the request body was refused",
              Map.of(
                  "errors",
                  List.of(
                      Map.of(
                          "field", "source", "message", "is not under a datastore of the host")))));
    }
    add(
        responses,
        "401",
        "No bearer token, or an unknown one",
        problem(401, "Unauthorized", "a bearer token is required", Map.of()));
    add(
        responses,
        "403",
        "The token's role is too low for this (viewer < operator < admin)",
        problem(403, "Forbidden", "role VIEWER may not do this", Map.of()));
    if (path.contains("{")) {
      add(
          responses,
          "404",
          "No such host, VM, operation or device",
          problem(404, "Unknown VM", "no reachable host has a VM named 'web-1'", Map.of()));
    }
    if (op.getRequestBody() != null) {
      add(
          responses,
          "413",
          "The request body is larger than virtflux.limits.max-body-size; nothing was read or"
              + " queued",
          problem(
              413,
              "Request body too large",
              "the request body is larger than 1048576 bytes (virtflux.limits.max-body-size);"
                  + " nothing was queued",
              Map.of()));
    }
    if (change) {
      add(
          responses,
          "429",
          "This token sent more changes this second than virtflux.limits.submissions-per-second;"
              + " nothing was queued. Retry-After says when to send again",
          problem(
              429,
              "Too many submissions",
              "this token may send 50 changes per second"
                  + " (virtflux.limits.submissions-per-second); nothing was queued: retry after 1 s",
              Map.of()));
    } else if (path.endsWith("/events")) {
      add(
          responses,
          "429",
          "This token already holds virtflux.limits.event-streams-per-token event streams open;"
              + " Retry-After says when to try again",
          problem(
              429,
              "Too many event streams",
              "this token already holds 64 event streams open"
                  + " (virtflux.limits.event-streams-per-token); close one or retry after 5 s",
              Map.of()));
    }
    if (change && responses.containsKey("202") && !responses.containsKey("200")) {
      add(
          responses,
          "503",
          "The service takes no new operations now: it is stopping (it finishes what it runs;"
              + " what waits stays queued for its next start), or its journal cannot be written."
              + " Nothing was queued; Retry-After says when to try again",
          problem(
              503,
              "Service stopping",
              "the service is stopping: it finishes the operations it runs and accepts no new"
                  + " ones; nothing was queued: retry after 42 s",
              Map.of("type", "urn:virtflux:problem:shutting-down")));
      responses
          .get("503")
          .addHeaderObject(
              "Retry-After",
              new Header()
                  .description("seconds to wait before sending again")
                  .schema(new IntegerSchema()));
    }
    ApiResponse tooMany = responses.get("429");
    if (tooMany != null && (tooMany.getHeaders() == null || tooMany.getHeaders().isEmpty())) {
      tooMany.addHeaderObject(
          "Retry-After",
          new Header()
              .description("seconds to wait before sending again")
              .schema(new IntegerSchema()));
    }
    if (change) {
      add(
          responses,
          "409",
          "The request conflicts with the current state (VM running or not, migration in"
              + " progress, host disabled, name taken, device in use, …)",
          problem(
              409, "Migration in progress", "operation 7f3c… already migrates 'web-1'", Map.of()));
    }
  }

  /**
   * Springdoc says 200 for a change that answers {@code ResponseEntity<Operation>}; the service
   * answers 202. Left alone where the method documents its codes itself (a cancel answers 200 or
   * 202). Whether the change queues an operation (and so takes an Idempotency-Key).
   */
  private static boolean acceptedInsteadOfOk(ApiResponses responses) {
    ApiResponse ok = responses.get("200");
    if (ok == null || ok.getContent() == null || responses.containsKey("202")) {
      return false;
    }
    boolean queues =
        ok.getContent().values().stream()
            .map(MediaType::getSchema)
            .anyMatch(s -> s != null && "#/components/schemas/Operation".equals(s.get$ref()));
    if (queues) {
      responses.remove("200");
      ok.setDescription(
          "Accepted: the QUEUED operation; Location: /api/v1/operations/{id}. Follow it there or"
              + " on /api/v1/operations/{id}/events; its result or error comes at its end");
      responses.put("202", ok);
    }
    return queues;
  }

  private static void add(ApiResponses responses, String code, String description, Example ex) {
    if (responses.containsKey(code)) {
      return;
    }
    responses.addApiResponse(code, response(code, description, ex));
  }

  /** A problem+json response with one example. */
  static ApiResponse response(String code, String description, Example ex) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    PROBLEM,
                    new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/Problem"))
                        .addExamples(code, ex)));
  }

  static Example problem(int status, String title, String detail, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", "/api/v1/vms/web-1");
    body.putAll(extra);
    return new Example().summary(title).value(body);
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    ObjectSchema error = new ObjectSchema();
    error.addProperty(
        "field", new StringSchema().description("the refused field, e.g. disks[0].source"));
    error.addProperty("message", new StringSchema());
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty("type", new StringSchema())
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema())
        .addProperty(
            "errors",
            new ArraySchema().items(error).description("400: every refused field and why"))
        .addProperty(
            "libvirtCode",
            new StringSchema().description("libvirt's error code, when libvirt refused"))
        .addProperty("libvirtMessage", new StringSchema().description("libvirt's own message"))
        .addProperty(
            "idempotencyKey",
            new StringSchema().description("422: the Idempotency-Key sent with another request"));
  }
}
