package diffusionlab.training.store;

import diffusionlab.training.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The queue of runs in PostgreSQL that worker processes share (docs/SCALING.md). A queued run, or a running
 * one whose worker's lease ran out, is claimed by one worker with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * (two workers never wait for, nor take, the same row); the claim bumps the run's lease generation, the fence
 * every later write of the worker compares ({@link JdbcRunStore#write}, {@link LivePublisher}). The worker
 * renews its lease every {@link #RENEW_MILLIS} and the lease lapses {@link #LEASE_MILLIS} after the last
 * renewal, so a killed worker's run is claimed again by another within about that long. Times are the
 * database's clock, so the workers' clocks need not agree. Web instances ask a worker to pause, resume or
 * stop a run through the row's {@code requested} column and a NOTIFY; a run nobody trains is changed directly.
 */
public final class RunQueue {
    public static final long LEASE_MILLIS = 10_000;
    public static final long RENEW_MILLIS = 2_000;
    /** A web instance says which runs have viewers every {@link #RENEW_MILLIS}; a mark lasts three of those. */
    public static final long WATCH_MILLIS = 3 * RENEW_MILLIS;
    static final String NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    /** A worker's hold on a run: the generation its writes must match. */
    public record Lease(String runId, long generation) {
    }

    /** A claimed run: the lease, and a control asked of whoever trains it (null when none). */
    public record Claim(Lease lease, String requested) {
    }

    private final Database db;
    private final String worker;

    RunQueue(Database db, String worker) {
        this.db = db;
        this.worker = worker;
    }

    public String worker() {
        return worker;
    }

    /**
     * Claims the oldest run that is queued, or was training under a lease that lapsed, and drops its curve
     * points after its checkpoint (the worker trains them again from there, so none is stored twice). Empty
     * when there is none.
     */
    public Optional<Claim> claim() {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE dl_runs SET lease_owner = ?, lease_until = " + NOW
                    + " + ?, lease_gen = lease_gen + 1 WHERE id = (SELECT id FROM dl_runs WHERE state IN ('QUEUED', "
                    + "'RUNNING') AND lease_until < " + NOW + " ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                    + "RETURNING id, lease_gen, requested, checkpoint_step")) {
                p.setString(1, worker);
                p.setLong(2, LEASE_MILLIS);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Claim>empty();
                    }
                    String id = rs.getString(1);
                    long checkpoint = Math.max(0, rs.getLong(4));
                    for (String table : new String[] {"dl_loss", "dl_metric"}) {
                        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table
                                + " WHERE run_id = ? AND step > ?")) {
                            d.setString(1, id);
                            d.setLong(2, checkpoint);
                            d.executeUpdate();
                        }
                    }
                    return Optional.of(new Claim(new Lease(id, rs.getLong(2)), rs.getString(3)));
                }
            }
        });
    }

    /** What a renewal hears: the control a web instance asked for (null when none), and whether anyone watches. */
    public record Renewal(String requested, boolean watched) {
    }

    /**
     * Extends the lease by {@link #LEASE_MILLIS} and takes the control a web instance asked for meanwhile, and
     * whether a web instance has seen a viewer of the run lately ({@link #watch}).
     *
     * @throws LeaseLostException when the run is no longer this worker's (claimed again, or deleted)
     */
    public Renewal renew(Lease lease) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE dl_runs SET lease_until = " + NOW + " + ? "
                    + "WHERE id = ? AND lease_gen = ? AND lease_owner = ? RETURNING requested, watched_until > "
                    + NOW)) {
                p.setLong(1, LEASE_MILLIS);
                p.setString(2, lease.runId());
                p.setLong(3, lease.generation());
                p.setString(4, worker);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new LeaseLostException(lease.runId());
                    }
                    return new Renewal(rs.getString(1), rs.getBoolean(2));
                }
            }
        });
    }

    /** A web instance has viewers on these runs now: they count as watched for {@link #WATCH_MILLIS}. */
    public void watch(java.util.Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
            try (PreparedStatement p = c.prepareStatement("UPDATE dl_runs SET watched_until = " + NOW + " + ? "
                    + "WHERE id IN (" + marks + ")")) {
                p.setLong(1, WATCH_MILLIS);
                int i = 2;
                for (String id : runIds) {
                    p.setString(i++, id);
                }
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Gives the run up (paused, stopped, ended, or this worker shuts down): any worker may claim it at once
     * if it is still to train. A resume asked for while this worker was pausing it queues it again.
     */
    public void release(Lease lease) {
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE dl_runs SET lease_owner = NULL, lease_until = 0, "
                    + "state = CASE WHEN state = 'PAUSED' AND requested = 'RESUME' THEN 'QUEUED' ELSE state END, "
                    + "requested = NULL WHERE id = ? AND lease_gen = ? RETURNING state, step")) {
                p.setString(1, lease.runId());
                p.setLong(2, lease.generation());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("QUEUED")) { // resumed while it was being paused
                        notify(c, LiveNotice.LIVE, LiveNotice.status(lease.runId(), new LiveNotice.Status(RunState.QUEUED,
                                rs.getLong(2), 0, null, 0)).json());
                    }
                }
            }
            return null;
        });
    }

    /**
     * A web instance asks for a control (PAUSE, RESUME, STOP). A run nobody trains is changed here and now
     * (resumed: queued again; stopped: ended) and the new state returned; a run a worker holds gets the
     * request, and the worker is told (NOTIFY), and null is returned. Empty when the run is not in a state the
     * control applies to.
     */
    public Optional<String> request(String runId, String control) {
        return db.transaction(c -> {
            String sql = switch (control) {
                case "PAUSE" -> "UPDATE dl_runs SET requested = 'PAUSE' WHERE id = ? AND state IN ('QUEUED', 'RUNNING') "
                        + "RETURNING NULL, step";
                case "RESUME" -> "UPDATE dl_runs SET state = CASE WHEN lease_until < " + NOW + " THEN 'QUEUED' "
                        + "ELSE state END, requested = CASE WHEN lease_until < " + NOW + " THEN NULL ELSE 'RESUME' END "
                        + "WHERE id = ? AND state = 'PAUSED' RETURNING CASE WHEN requested IS NULL THEN state END, step";
                case "STOP" -> "UPDATE dl_runs SET state = CASE WHEN lease_until < " + NOW + " AND state IN ('QUEUED', "
                        + "'PAUSED') THEN 'STOPPED' ELSE state END, finished_at = CASE WHEN lease_until < " + NOW
                        + " AND state IN ('QUEUED', 'PAUSED') THEN " + NOW + " ELSE finished_at END, requested = "
                        + "CASE WHEN lease_until < " + NOW + " AND state IN ('QUEUED', 'PAUSED') THEN NULL ELSE 'STOP' "
                        + "END WHERE id = ? AND state IN ('QUEUED', 'RUNNING', 'PAUSED') "
                        + "RETURNING CASE WHEN requested IS NULL THEN state END, step";
                default -> throw new IllegalArgumentException("no such control: " + control);
            };
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<String>empty();
                    }
                    String changed = rs.getString(1);
                    if (changed == null) {
                        notify(c, LiveNotice.RUNS, new LiveNotice.RunChange(LiveNotice.RunChange.CONTROL, runId).json());
                    } else { // every web instance shows it
                        notify(c, LiveNotice.LIVE, LiveNotice.status(runId, new LiveNotice.Status(RunState.valueOf(changed),
                                rs.getLong(2), 0, null, 0)).json());
                    }
                    return Optional.of(changed == null ? "" : changed);
                }
            }
        });
    }

    static void notify(Connection c, String channel, String payload) throws SQLException {
        try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            n.setString(1, channel);
            n.setString(2, payload);
            n.execute();
        }
    }
}
