package io.virtflux.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.virtflux.api.IdempotencyKey;
import java.util.Map;

/**
 * The {@code Idempotency-Key} header on every request that queues an operation, and the 422 of a
 * key sent again with another request: a reusable parameter and response, so that their rules are
 * written once. {@link ProblemResponses} adds both where it turns a 200 into the 202 of a queued
 * operation.
 */
final class IdempotencyKeyDocs {

  static final String PARAMETER = "IdempotencyKey";
  static final String REUSED = "IdempotencyKeyReused";

  private IdempotencyKeyDocs() {}

  static void declare(OpenAPI api) {
    api.getComponents()
        .addParameters(
            PARAMETER,
            new Parameter()
                .in("header")
                .name(IdempotencyKey.HEADER)
                .required(false)
                .description(
                    "draft-ietf-httpapi-idempotency-key-header: the same key with the same request"
                        + " (method, path with query, body bytes) from the same token answers the"
                        + " first request's operation, for virtflux.operations.idempotency-key-ttl"
                        + " (24h) after it; with another request it is refused with 422. 1 to 255"
                        + " printable ASCII characters, else 400.")
                .schema(
                    new StringSchema()
                        .minLength(1)
                        .maxLength(IdempotencyKey.MAX_LENGTH)
                        .pattern("^[\\x20-\\x7E]+$")
                        .example("8e03978e-40d5-43e8-bc93-6894a57f9324")));
    api.getComponents()
        .addResponses(
            REUSED,
            ProblemResponses.response(
                "422",
                "The Idempotency-Key was sent before with another request (method, path with"
                    + " query, or body); nothing was queued",
                ProblemResponses.problem(
                    422,
                    "idempotency-key-reused",
                    "Idempotency-Key reused",
                    "Idempotency-Key 'deploy-web-1' was first sent with another request (method,"
                        + " path or body), for operation 7f3c…; nothing was queued: send a new key"
                        + " for a new request",
                    "/api/v1/vms",
                    Map.of("idempotencyKey", "deploy-web-1"))));
  }

  static void accept(Operation op) {
    op.addParametersItem(new Parameter().$ref("#/components/parameters/" + PARAMETER));
    op.getResponses()
        .addApiResponse("422", new ApiResponse().$ref("#/components/responses/" + REUSED));
  }
}
