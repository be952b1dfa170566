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
  static final String TYPE_PREFIX = "urn:virtflux:problem:";

  @Override
  @SuppressWarnings("rawtypes")
  public void customise(OpenAPI api) {
    api.getComponents().addSchemas("Problem", problemSchema());
    // springdoc's ProblemDetail nests the extras under "properties"; the JSON has them at the top
    api.getComponents().getSchemas().remove("ProblemDetail");
    for (Schema<?> schema : api.getComponents().getSchemas().values()) {
      Map<String, Schema> properties = schema.getProperties();
      if (properties != null) {
        properties.replaceAll((name, property) -> problemInsteadOfProblemDetail(property));
      }
    }
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
              item.readOperationsMap()
                  .forEach(
                      (method, op) -> {
                        document(path, method, op);
                        ResponseConventions.apply(op);
                      });
            });
  }

  @SuppressWarnings("rawtypes")
  static Schema problemInsteadOfProblemDetail(Schema schema) {
    return schema != null && "#/components/schemas/ProblemDetail".equals(schema.get$ref())
        ? new Schema<>().$ref("#/components/schemas/Problem").description(schema.getDescription())
        : schema;
  }

  private static void document(String path, PathItem.HttpMethod method, Operation op) {
    String instance = instance(path);
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
              "invalid-request",
              "Invalid request",
              "the request body was refused",
              instance,
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
        problem(
            401,
            "unauthenticated",
            "Authentication required",
            "send 'Authorization: Bearer <token>' with a configured token",
            instance,
            Map.of()));
    add(
        responses,
        "403",
        "The token's role is too low for this (viewer < operator < admin)",
        problem(
            403,
            "forbidden",
            "Not allowed",
            "the token's role does not allow " + method + " " + instance,
            instance,
            Map.of()));
    if (path.contains("{")) {
      add(responses, "404", "No such host, VM, operation or device", notFound(path, instance));
    }
    if (op.getRequestBody() != null) {
      add(
          responses,
          "413",
          "The request body is larger than virtflux.limits.max-body-size; nothing was read or"
              + " queued",
          problem(
              413,
              "body-too-large",
              "Request body too large",
              "the request body is larger than 1048576 bytes (virtflux.limits.max-body-size);"
                  + " nothing was queued",
              instance,
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
              "too-many-submissions",
              "Too many submissions",
              "this token may send 50 changes per second"
                  + " (virtflux.limits.submissions-per-second); nothing was queued: retry after 1 s",
              instance,
              Map.of()));
    } else if (path.endsWith("/events")) {
      add(
          responses,
          "429",
          "This token already holds virtflux.limits.event-streams-per-token event streams open;"
              + " Retry-After says when to try again",
          problem(
              429,
              "too-many-event-streams",
              "Too many event streams",
              "this token already holds 64 event streams open"
                  + " (virtflux.limits.event-streams-per-token); close one or retry after 5 s",
              instance,
              Map.of()));
    }
    if (change && responses.containsKey("202") && !responses.containsKey("200")) {
      add(
          responses,
          "503",
          "The service takes no new operations now: it is stopping"
              + " (urn:virtflux:problem:shutting-down; it finishes what it runs, what waits stays"
              + " queued for its next start), or its journal cannot be written"
              + " (urn:virtflux:problem:journal-unavailable). Nothing was queued; Retry-After says"
              + " when to try again",
          problem(
              503,
              "shutting-down",
              "Service stopping",
              "the service is stopping: it finishes the operations it runs and accepts no new"
                  + " ones; nothing was queued: retry after 42 s",
              instance,
              Map.of()));
      addExample(
          responses,
          "503",
          "journal-unavailable",
          problem(
              503,
              "journal-unavailable",
              "Journal unavailable",
              "the operation journal cannot be written (disk full); nothing was queued: retry"
                  + " once the service is ready again",
              instance,
              Map.of()));
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
              409,
              "migration-in-progress",
              "Migration in progress",
              "operation 7f3c… already migrates 'web-1'",
              instance,
              Map.of()));
      addExample(
          responses,
          "409",
          "wrong-state",
          problem(
              409,
              "wrong-state",
              "VM is in the wrong state",
              "Requested operation is not valid: domain is not running",
              instance,
              Map.of(
                  "host",
                  "kvm1",
                  "libvirtCode",
                  "VIR_ERR_OPERATION_INVALID",
                  "libvirtMessage",
                  "Requested operation is not valid: domain is not running")));
    }
  }

  /** The path as a client would send it, with example values for its variables. */
  private static String instance(String path) {
    return path.replace("{name}", path.startsWith("/api/v1/hosts") ? "kvm1" : "web-1")
        .replace("{id}", "7f3c2a9e")
        .replace("{target}", "vdb")
        .replace("{mac}", "02:00:c0:a8:7a:0b")
        .replace("{action}", "start");
  }

  private static Example notFound(String path, String instance) {
    if (path.startsWith("/api/v1/operations")) {
      return problem(
          404,
          "operation-not-found",
          "Operation not found",
          "no operation with id 7f3c2a9e",
          instance,
          Map.of());
    }
    if (path.startsWith("/api/v1/hosts")) {
      return problem(
          404, "unknown-host", "Unknown host", "no host named 'kvm1'", instance, Map.of());
    }
    return problem(
        404,
        "unknown-vm",
        "Unknown VM",
        "no reachable host has a VM named 'web-1'",
        instance,
        Map.of());
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

  /**
   * Adds the response, or gives a response a method declared with only a description its problem
   * content.
   */
  private static void add(ApiResponses responses, String code, String description, Example ex) {
    ApiResponse declared = responses.get(code);
    if (declared == null) {
      responses.addApiResponse(code, response(code, description, ex));
    } else if (declared.getContent() == null || !declared.getContent().containsKey(PROBLEM)) {
      // springdoc gives a declared error the method's own JSON body; the service answers a problem
      declared.setContent(response(code, description, ex).getContent());
    }
  }

  /** Another example of a problem response this class added. */
  private static void addExample(ApiResponses responses, String code, String name, Example ex) {
    ApiResponse response = responses.get(code);
    MediaType problem =
        response == null || response.getContent() == null
            ? null
            : response.getContent().get(PROBLEM);
    if (problem != null) {
      problem.addExamples(name, ex);
    }
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

  /** An example problem of type {@code urn:virtflux:problem:<type>}. */
  static Example problem(
      int status,
      String type,
      String title,
      String detail,
      String instance,
      Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_PREFIX + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", instance);
    body.putAll(extra);
    return new Example().summary(title).value(body);
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    ObjectSchema error = new ObjectSchema();
    error.addProperty(
        "field", new StringSchema().description("the refused field, e.g. disks[0].source"));
    error.addProperty("message", new StringSchema());
    error.setRequired(new java.util.ArrayList<>(List.of("field", "message")));
    Schema<?> candidate =
        new ObjectSchema()
            .description("a host placement weighed, with its memory (MiB) and why it did not fit");
    candidate.setAdditionalProperties(true);
    Schema problem =
        new ObjectSchema()
            .description(
                "RFC 9457 problem details (application/problem+json). Tell problems apart by"
                    + " type, not by title or detail. The fields after instance are present where"
                    + " they apply; later versions may add fields and types.")
            .addProperty(
                "type",
                new StringSchema()
                    .description(
                        "urn:virtflux:problem: and the title in lower case with dashes, e.g."
                            + " invalid-request (400, see errors), unauthenticated (401),"
                            + " forbidden (403), unknown-vm, unknown-host, operation-not-found"
                            + " (404), wrong-state (409: libvirt refused in the VM's state, see"
                            + " libvirtCode), migration-in-progress, conflicting-operation (409),"
                            + " idempotency-key-reused (422), libvirt-rejected (422),"
                            + " too-many-submissions, too-many-event-streams (429),"
                            + " libvirt-failed (502), host-offline, shutting-down,"
                            + " journal-unavailable (503); on an operation's error also"
                            + " operation-failed, operation-timed-out, operation-cancelled,"
                            + " service-restarted, interrupted-by-restart")
                    .example("urn:virtflux:problem:wrong-state"))
            .addProperty("title", new StringSchema().description("short, the same for a type"))
            .addProperty("status", new IntegerSchema().description("the HTTP status code"))
            .addProperty("detail", new StringSchema().description("what happened, for people"))
            .addProperty(
                "instance", new StringSchema().description("the request's path, when known"))
            .addProperty(
                "errors",
                new ArraySchema().items(error).description("400: every refused field and why"))
            .addProperty(
                "host", new StringSchema().description("the host libvirt answered on, if any"))
            .addProperty(
                "libvirtCode",
                new StringSchema()
                    .description(
                        "libvirt's error code when libvirt refused, e.g. VIR_ERR_NO_DOMAIN")
                    .example("VIR_ERR_OPERATION_INVALID"))
            .addProperty("libvirtMessage", new StringSchema().description("libvirt's own message"))
            .addProperty(
                "idempotencyKey",
                new StringSchema()
                    .description("422: the Idempotency-Key sent with another request"))
            .addProperty(
                "asked",
                new ArraySchema()
                    .items(new StringSchema())
                    .description("409 PCI: the PCI requests that could not be satisfied"))
            .addProperty(
                "matching",
                new ArraySchema()
                    .items(new StringSchema())
                    .description("409 PCI: the host's devices that match them, and who holds them"))
            .addProperty(
                "candidates",
                new ArraySchema()
                    .items(candidate)
                    .description("409 placement: every host weighed and why it did not fit"));
    problem.setRequired(new java.util.ArrayList<>(List.of("type", "title", "status")));
    return problem;
  }
}
