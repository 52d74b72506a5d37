package diffusionlab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.training.ClusterWorker;
import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.RunState;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.DatabaseTarget;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.errors.ErrorHandlers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database of the web and worker roles goes away for a while (every session ended, new ones refused) and
 * comes back: the web instance answers 503 saying so, the worker stops training, and both recover by themselves;
 * the run then finishes with every loss point once.
 */
@Tag("postgres")
class ScaleOutFaultsTest {
    private static final String RUN = """
            {"name": "through an outage", "dataset": "moons", "datasetSize": 1000, "timesteps": 20, "hidden": 16,
             "layers": 2, "steps": 1000000, "batchSize": 64}""";

    @TempDir
    Path dataDir;

    @Test
    void aDatabaseThatGoesAwayGets503sFromTheWebAndStopsTheWorkerAndBothRecoverWhenItReturns() throws Exception {
        DatabaseTarget target = PostgresTestDatabase.fresh();
        StoreSettings settings = new StoreSettings(dataDir, System.getenv("TEST_DATABASE_URL"),
                new CheckpointPolicy(10_000_000, 1_000), PrunePolicy.KEEP_ALL);
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             TestServer server = TestServer.over(RunRegistry.openMirror(settings));
             ClusterWorker worker = ClusterWorker.open(1, settings)) {
            HttpResponse<String> created = server.post(server.owner, "/api/runs", RUN);
            assertEquals(201, created.statusCode(), created.body());
            Run run = server.registry.get(server.json.readTree(created.body()).get("id").asText()).orElseThrow();
            awaitTrue("the run trains", () -> run.status().step() > 20_000, 60);
            String database = text(admin, "SELECT current_database()");

            try {
                execute(admin, "REVOKE CONNECT ON DATABASE \"" + database + "\" FROM PUBLIC, \"" + target.user() + "\"");
                execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND pid <> pg_backend_pid()");
                awaitTrue("the web instance answers 503", () -> server.get("/api/runs").statusCode() == 503, 10);
                HttpResponse<String> refused = server.post(server.owner, "/api/runs", RUN);
                assertEquals(503, refused.statusCode());
                JsonNode body = server.json.readTree(refused.body());
                assertEquals(ErrorHandlers.UNAVAILABLE, body.get("error").asText());
                assertEquals(String.valueOf(ErrorHandlers.UNAVAILABLE_RETRY_SECONDS),
                        refused.headers().firstValue("Retry-After").orElse(""));
                assertEquals(503, server.get("/").statusCode(), "the pages say so too");

                long cutOff = System.nanoTime();
                awaitTrue("the worker stops training", () -> worker.training() == 0, 15);
                double stoppedAfter = (System.nanoTime() - cutOff) / 1e9;
                assertTrue(stoppedAfter < 10, "stopped " + stoppedAfter + " s after its last renewal at most: before "
                        + "its lease could lapse and another worker claim the run");
            } finally {
                execute(admin, "GRANT CONNECT ON DATABASE \"" + database + "\" TO PUBLIC, \"" + target.user() + "\"");
            }
            awaitTrue("the web instance answers again", () -> server.get("/api/runs").statusCode() == 200, 20);
            long before = run.status().step();
            awaitTrue("a worker trains the run again", () -> worker.training() == 1 && run.status().step() > before
                    && run.state() == RunState.RUNNING, 40);
            assertTrue(run.stop());
            awaitTrue("the run stops", () -> run.state() == RunState.STOPPED, 10);
            Thread.sleep(1_000);
            assertEquals(number(admin, "SELECT count(*) FROM dl_loss"), number(admin, "SELECT count(DISTINCT step) FROM dl_loss"));
            long points = number(admin, "SELECT count(*) FROM dl_loss");
            long last = number(admin, "SELECT max(step) FROM dl_loss");
            assertEquals(last / 500, points, "one point every 500 steps up to the last, none missing");
            long[] shown = run.history().lossSteps();
            for (int i = 0; i < shown.length; i++) {
                assertEquals(500L * (i + 1), shown[i], "the web instance shows every step once, from the first");
            }
            // it may show a few more: points it was sent before the outage, past the checkpoint the run resumed
            // from, which the run (stopped soon after) did not reach again (docs/SCALING.md, a resumed run's curve)
            assertTrue(shown.length >= points, shown.length + " points shown, " + points + " stored");
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long number(Connection c, String sql) throws Exception {
        return Long.parseLong(text(c, sql));
    }
}
