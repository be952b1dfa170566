-- What a feature needs to run a QUEUED operation after a restart (JSON of ReplayInputs: a recipe
-- name and validated inputs). Written with the QUEUED row, set to NULL once the operation starts
-- or ends, so it only ever holds requests that are still waiting.
ALTER TABLE operations ADD COLUMN replay VARCHAR(1000000);
