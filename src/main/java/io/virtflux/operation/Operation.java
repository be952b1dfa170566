package io.virtflux.operation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * An operation as a resource (Google's long-running operation plus a readable phase). Once terminal
 * it carries exactly one of {@code result} or {@code error}.
 *
 * @param id opaque identifier
 * @param progress kind-specific progress while RUNNING (e.g. migration data processed)
 * @param result what the work produced (JSON), when SUCCEEDED; an object's first field is {@code
 *     kind}, the operation's kind, so that a client can tell the result's type from the result
 *     alone (the contract's discriminator)
 * @param error an RFC 9457 problem (with libvirt's code and message where libvirt failed), when
 *     FAILED or CANCELLED
 */
public record Operation(
    String id,
    OperationKind kind,
    OperationTarget target,
    Phase phase,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Map<String, Object> progress,
    @Nullable Object result,
    @Nullable ProblemDetail error,
    String requestedBy) {

  /** The result field that says the operation's kind, and so the result's type. */
  public static final String RESULT_KIND = "kind";

  /**
   * The result field of an operation that was RUNNING when the service stopped and that its host
   * showed done at the next start: what the host showed. The result then has no other field than
   * {@link #RESULT_KIND}.
   */
  public static final String RECONCILED_AFTER_RESTART = "reconciledAfterRestart";

  public Operation {
    result = withKind(kind, result);
  }

  /**
   * The result with {@code kind} first. Done here, where every operation is built, so that results
   * journaled before results carried their kind get it too when they are read back.
   */
  private static @Nullable Object withKind(OperationKind kind, @Nullable Object result) {
    if (!(result instanceof Map<?, ?> fields) || kind.name().equals(fields.get(RESULT_KIND))) {
      return result;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(RESULT_KIND, kind.name());
    fields.forEach(
        (name, value) -> {
          if (!RESULT_KIND.equals(name)) {
            out.put(String.valueOf(name), value);
          }
        });
    return Collections.unmodifiableMap(out);
  }

  static Operation queued(String id, OperationRequest request, Instant now) {
    return new Operation(
        id,
        request.kind(),
        request.target(),
        Phase.QUEUED,
        now,
        null,
        null,
        null,
        null,
        null,
        request.principal());
  }

  Operation running(Instant now) {
    return new Operation(
        id, kind, target, Phase.RUNNING, createdAt, now, null, progress, null, null, requestedBy);
  }

  Operation withProgress(Map<String, Object> next) {
    return new Operation(
        id,
        kind,
        target,
        phase,
        createdAt,
        startedAt,
        finishedAt,
        Collections.unmodifiableMap(new LinkedHashMap<>(next)),
        result,
        error,
        requestedBy);
  }

  Operation succeeded(Object value, Instant now) {
    return new Operation(
        id,
        kind,
        target,
        Phase.SUCCEEDED,
        createdAt,
        startedAt,
        now,
        progress,
        value,
        null,
        requestedBy);
  }

  Operation failed(ProblemDetail problem, Instant now) {
    return ended(Phase.FAILED, problem, now);
  }

  Operation cancelled(ProblemDetail problem, Instant now) {
    return ended(Phase.CANCELLED, problem, now);
  }

  private Operation ended(Phase phase, ProblemDetail problem, Instant now) {
    return new Operation(
        id, kind, target, phase, createdAt, startedAt, now, progress, null, problem, requestedBy);
  }
}
