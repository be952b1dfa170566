-- Several replicas on one PostgreSQL journal (on H2 the tables stay empty: one process owns
-- everything). A replica is alive while its lease, renewed by its heartbeat, has not expired;
-- times are the database's own clock, so replicas' clocks never need to agree.
CREATE TABLE replicas (
  id         VARCHAR(255)             NOT NULL PRIMARY KEY,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each host has at most one owner replica, the only one that runs the host's operations and calls
-- its libvirt. epoch grows with every claim: a write fenced with an older epoch is refused, so an
-- owner that wakes up after a pause cannot write over its successor.
CREATE TABLE host_owners (
  host       VARCHAR(255)             NOT NULL PRIMARY KEY,
  replica_id VARCHAR(255),
  epoch      BIGINT                   NOT NULL,
  claimed_at TIMESTAMP WITH TIME ZONE
);
