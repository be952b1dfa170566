package io.virtflux.operation;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * An operation as a resource (Google's long-running operation plus a readable phase). Once terminal
 * it carries exactly one of {@code result} or {@code error}.
 *
 * @param id opaque identifier
 * @param progress kind-specific progress while RUNNING (e.g. migration data processed)
 * @param result what the work produced (JSON), when SUCCEEDED
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
    String requestedBy) {}
