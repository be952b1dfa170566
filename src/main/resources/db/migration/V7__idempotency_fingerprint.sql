-- The fingerprint of the request that first sent an operation's Idempotency-Key (lowercase hex
-- SHA-256 of its method, path with query, and body): the same key with another request is refused
-- with 422 instead of answered with this operation. NULL on operations journaled before, which are
-- compared by kind and target as they were then.
ALTER TABLE operations ADD COLUMN idempotency_fingerprint VARCHAR(64);

-- A key expires (virtflux.operations.idempotency-key-ttl after its operation was created): the next
-- request with it sets the expired operation's idempotency_key to NULL and takes the key, so
-- uq_operations_idempotency (requested_by, idempotency_key) keeps holding at most one live key.
