-- Hosts an admin disabled (no new operations), so that the choice survives a restart. A row
-- exists only while the host is disabled.
CREATE TABLE disabled_hosts (
    name        VARCHAR(63)              NOT NULL PRIMARY KEY,
    disabled_by VARCHAR(255)             NOT NULL,
    disabled_at TIMESTAMP WITH TIME ZONE NOT NULL
);
