-- The queue that worker processes share (serve --role worker, on PostgreSQL; see docs/SCALING.md). Which worker
-- trains a run (lease_owner), until when its lease holds (lease_until: epoch milliseconds on the database's
-- clock, 0 = nobody's), how many times the run has been claimed (lease_gen: every write of a worker compares it,
-- so a worker that lost the run writes nothing more), and a control a web instance asked of that worker
-- (requested: PAUSE, RESUME or STOP), and until when a web instance last saw someone watch the run (watched_until,
-- the same clock: a worker draws the pictures of a run nobody watches less often). The single process (role all)
-- leaves them at their defaults. The same SQL
-- for H2 and PostgreSQL; an app from before this migration reads and writes the table as before.
ALTER TABLE dl_runs ADD COLUMN IF NOT EXISTS lease_owner VARCHAR(64);
ALTER TABLE dl_runs ADD COLUMN IF NOT EXISTS lease_until BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE dl_runs ADD COLUMN IF NOT EXISTS lease_gen BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE dl_runs ADD COLUMN IF NOT EXISTS requested VARCHAR(16);
ALTER TABLE dl_runs ADD COLUMN IF NOT EXISTS watched_until BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS dl_runs_by_state ON dl_runs (state, created_at);
