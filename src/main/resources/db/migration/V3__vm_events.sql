-- libvirt's VM lifecycle events share the event sequence with operation events (one Last-Event-ID
-- resumes both): such an event has no operation, but the host and VM it is about.
ALTER TABLE operation_events ALTER COLUMN operation_id DROP NOT NULL;
ALTER TABLE operation_events ADD COLUMN host VARCHAR(255);
ALTER TABLE operation_events ADD COLUMN vm VARCHAR(255);
