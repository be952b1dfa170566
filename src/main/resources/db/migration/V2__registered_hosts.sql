-- Hosts registered through POST /api/v1/hosts, so that they survive a restart. Hosts from the
-- application config are not stored: the config is their source of truth.

CREATE TABLE registered_hosts (
    name          VARCHAR(63)              NOT NULL PRIMARY KEY,
    config        VARCHAR(8000)            NOT NULL,
    registered_by VARCHAR(255)             NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
