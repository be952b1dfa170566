-- The memory (MiB) a DEPLOY takes on its host, written when it is created (NULL for every other
-- kind). With several replicas the journal is the ledger of the memory promised to deploys: a
-- host's deploys that are QUEUED or RUNNING, or ended SUCCEEDED after the host's last reading,
-- hold their memory, whichever replica accepted them.
ALTER TABLE operations ADD COLUMN memory_mib BIGINT;

-- the ledger's rows: unfinished operations, and those that ended after an instant
CREATE INDEX ix_operations_phase_finished ON operations (phase, finished_at);
