-- The tables as the app created them before it used migrations (Schema.ensure), so a store written then is
-- this version: it is baselined at 1 rather than migrated. The same SQL for H2 and PostgreSQL. IF NOT EXISTS
-- lets a migration cut short (H2 commits each CREATE on its own) run again to the end.
CREATE TABLE IF NOT EXISTS dl_runs (
    id VARCHAR(32) PRIMARY KEY,
    owner_hash VARCHAR(256),
    created_at BIGINT NOT NULL,
    config_json VARCHAR NOT NULL,
    state VARCHAR(16) NOT NULL,
    step BIGINT NOT NULL,
    error VARCHAR(2000),
    finished_at BIGINT NOT NULL,
    checkpoint_step BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS dl_loss (
    run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
    step BIGINT NOT NULL,
    val REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS dl_loss_run ON dl_loss (run_id, step);
CREATE TABLE IF NOT EXISTS dl_metric (
    run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
    step BIGINT NOT NULL,
    val DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS dl_metric_run ON dl_metric (run_id, step);
CREATE TABLE IF NOT EXISTS dl_frames (
    run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
    kind VARCHAR(16) NOT NULL,
    step BIGINT NOT NULL,
    payload BYTEA NOT NULL,
    PRIMARY KEY (run_id, kind)
);
CREATE TABLE IF NOT EXISTS dl_checkpoints (
    run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
    part VARCHAR(8) NOT NULL,
    step BIGINT NOT NULL,
    payload BYTEA NOT NULL,
    PRIMARY KEY (run_id, part)
);
CREATE TABLE IF NOT EXISTS dl_schema (version INT NOT NULL);
INSERT INTO dl_schema (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM dl_schema);
