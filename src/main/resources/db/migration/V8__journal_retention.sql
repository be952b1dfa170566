-- What the journal's retention (JournalRetention) deleted: the highest event seq it ever removed.
-- An event stream resumed from an id below it is told that history is missing, never given a
-- silently partial replay. 0: nothing was deleted yet, so no resume can miss anything.
CREATE TABLE journal_retention (
  id             INT    PRIMARY KEY,
  pruned_through BIGINT NOT NULL
);
INSERT INTO journal_retention (id, pruned_through) VALUES (1, 0);

-- retention deletes finished operations oldest end first: an index range, not a table scan
-- (unfinished operations have no finished_at and are never deleted)
CREATE INDEX ix_operations_finished ON operations (finished_at);
