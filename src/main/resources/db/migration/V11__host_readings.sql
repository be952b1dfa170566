-- With several replicas only a host's owner reads the host (facts, domains, PCI table), so that the
-- host's libvirtd hears from one replica; the others show, check and place by the owner's latest
-- reading, stored here. version grows with every reading, so a follower fetches only what changed.
-- On H2 (one replica, which reads every host itself) the table stays empty.
CREATE TABLE host_readings (
  host         VARCHAR(255)             NOT NULL PRIMARY KEY,
  replica_id   VARCHAR(255)             NOT NULL,
  version      BIGINT                   NOT NULL,
  reading_from TIMESTAMP WITH TIME ZONE NOT NULL,
  reading      VARCHAR(1000000)         NOT NULL
);
