-- Small documents that the web instances of one class share (serve --role web, on PostgreSQL; see
-- docs/SCALING.md): what the teacher presents and the class's switches. One row per document: its name, its
-- version (seq, raised by one on every change, so an instance keeps the newest it has heard of) and its text
-- (JSON, a few hundred bytes). A change is announced on the channel dl_shared in the transaction that writes it.
-- The single process (role all) keeps them in memory and leaves the table empty. The same SQL for H2 and
-- PostgreSQL.
CREATE TABLE IF NOT EXISTS dl_shared (
    name VARCHAR(64) PRIMARY KEY,
    seq BIGINT NOT NULL,
    body VARCHAR(4000) NOT NULL
);
