-- one row that the journal's health check rewrites: proof that the journal can still be written
CREATE TABLE journal_probe (
  id INT PRIMARY KEY,
  checked_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO journal_probe (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);
