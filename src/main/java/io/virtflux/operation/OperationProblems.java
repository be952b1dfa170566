package io.virtflux.operation;

import io.virtflux.api.Problems;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;

/**
 * The RFC 9457 problems of the operation pipeline: how operations end, and what the API refuses.
 */
public final class OperationProblems {

  /** What Google's APIs answer for a cancelled operation (gRPC CANCELLED). */
  private static final int CLIENT_CLOSED_REQUEST = 499;

  private OperationProblems() {}

  /** Why work failed: an {@link ErrorResponse} keeps its problem, anything else is internal. */
  static ProblemDetail of(Throwable error) {
    if (error instanceof ErrorResponse response) {
      return response.getBody();
    }
    String message = error.getMessage();
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR.value(),
        "Operation failed",
        message == null ? error.getClass().getName() : message);
  }

  static ProblemDetail timedOut(Duration timeout) {
    return problem(
        HttpStatus.GATEWAY_TIMEOUT.value(),
        "Operation timed out",
        "operation timed out after " + timeout);
  }

  static ProblemDetail cancelled(String by) {
    return problem(CLIENT_CLOSED_REQUEST, "Operation cancelled", "cancelled by " + by);
  }

  static ProblemDetail serviceRestarted() {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE.value(),
        "Service restarted",
        "the service restarted before the operation ended; its outcome on the host is unknown");
  }

  /**
   * A QUEUED operation the previous process never started, and that is not run now ({@code why}):
   * nothing was done on the host, so the client may submit it again.
   */
  static ProblemDetail interruptedByRestart(String why) {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE.value(),
        "Interrupted by restart",
        "the service restarted before the operation started and "
            + why
            + "; nothing was done on the host; submit it again");
  }

  static ProblemDetail serviceRestarted(String observation) {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE.value(),
        "Service restarted",
        "the service restarted before the operation ended; on its host: " + observation);
  }

  static ProblemDetail notRecorded(Throwable cause) {
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR.value(),
        "Outcome not recorded",
        "the operation ended but its outcome could not be journaled: " + cause.getMessage());
  }

  /**
   * A change the journal could not record (its disk full or unwritable, its file closed): 503, so
   * the client retries once the service is ready again, and never a 202 for something unrecorded.
   */
  public static ErrorResponseException journalUnavailable(String cause) {
    ErrorResponseException e =
        refusal(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Journal unavailable",
            "the operation journal cannot be written ("
                + cause
                + "); nothing was queued: retry once the service is ready again");
    e.getBody().setType(URI.create("urn:virtflux:problem:journal-unavailable"));
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
    return e;
  }

  /**
   * Whether {@code error} is {@link #journalUnavailable}: the journal down, not a write refused.
   */
  static boolean isJournalUnavailable(Throwable error) {
    return error instanceof ErrorResponseException e
        && e.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value()
        && URI.create("urn:virtflux:problem:journal-unavailable").equals(e.getBody().getType());
  }

  /**
   * A submission to a service that is stopping (SIGTERM): 503 with Retry-After, nothing queued. It
   * finishes what it runs, and the next process, or another instance, takes the request.
   */
  static ErrorResponseException shuttingDown(long retryAfterSeconds) {
    ErrorResponseException e =
        refusal(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Service stopping",
            "the service is stopping: it finishes the operations it runs and accepts no new ones;"
                + " nothing was queued: retry after "
                + retryAfterSeconds
                + " s");
    e.getBody().setType(URI.create("urn:virtflux:problem:shutting-down"));
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return e;
  }

  static ErrorResponseException notFound(String id) {
    return refusal(HttpStatus.NOT_FOUND, "Operation not found", "no operation with id " + id);
  }

  /**
   * A command refused because {@code other}, of a kind its handler declares conflicting, is queued
   * or running on the same VM. A migration is named as such, as clients know it.
   */
  static ErrorResponseException conflictingOperation(
      OperationKind kind, String vm, Operation other) {
    boolean migration = other.kind() == OperationKind.MIGRATE;
    return new ErrorResponseException(
        HttpStatus.CONFLICT,
        problem(
            HttpStatus.CONFLICT.value(),
            migration ? "Migration in progress" : "Conflicting operation",
            "operation "
                + other.id()
                + (migration
                    ? " migrates '" + vm + "'"
                    : " (" + other.kind() + ") acts on '" + vm + "'")
                + ": a "
                + kind
                + " waits until it has ended (or cancel it)"),
        null);
  }

  static ErrorResponseException conflict(String detail) {
    return refusal(HttpStatus.CONFLICT, "Operation cannot be cancelled", detail);
  }

  /**
   * The same Idempotency-Key with another request (method, path or body) than the one that created
   * {@code operationId}: the draft's 422, naming the key (in the detail, and as {@code
   * idempotencyKey}: a checked key is printable ASCII, safe to repeat).
   */
  static ErrorResponseException keyReused(String key, String operationId) {
    ErrorResponseException e =
        refusal(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "Idempotency-Key reused",
            "Idempotency-Key '"
                + key
                + "' was first sent with another request (method, path or body), for operation "
                + operationId
                + "; nothing was queued: send a new key for a new request");
    e.getBody().setType(java.net.URI.create("urn:virtflux:problem:idempotency-key-reused"));
    e.getBody().setProperty("idempotencyKey", key);
    return e;
  }

  private static ErrorResponseException refusal(HttpStatus status, String title, String detail) {
    return new ErrorResponseException(status, problem(status.value(), title, detail), null);
  }

  static ProblemDetail problem(int status, String title, String detail) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
    problem.setTitle(title);
    problem.setType(Problems.type(title));
    return problem;
  }
}
