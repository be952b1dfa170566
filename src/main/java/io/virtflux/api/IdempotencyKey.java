package io.virtflux.api;

/**
 * A request's {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header) and the
 * fingerprint of the request it came with. A repeated request gets the operation of the first one
 * only when both match; the same key with another fingerprint is refused (422).
 *
 * @param value the header's value, as sent
 * @param fingerprint lowercase hex SHA-256 of the request's method, path with query, and body bytes
 *     ({@link IdempotencyKeyReader} says why the raw bytes)
 */
public record IdempotencyKey(String value, String fingerprint) {

  /** The header that makes a repeated request return the operation of the first one. */
  public static final String HEADER = "Idempotency-Key";

  /** As many characters as the journal keeps ({@code operations.idempotency_key}). */
  public static final int MAX_LENGTH = 255;
}
