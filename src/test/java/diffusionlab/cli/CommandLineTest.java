package diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real main class in a child JVM, as a user would from a shell. */
class CommandLineTest {

    record Result(int code, String stdout, String stderr) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = start(env, args);
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        int code = p.waitFor();
        return new Result(code, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The main class with these arguments, and these environment variables on top of the test's. */
    private static Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "diffusionlab.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Like {@link #run}, in an environment without DATABASE_URL and with these variables. */
    private static Result runWithout(String variable, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "diffusionlab.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(variable);
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Result(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void badArgumentsExitWithCode2AndOneLineNamingTheArgument() throws Exception {
        String[][] cases = {
                {"--batch-size", "-3", "--batch-size"},
                {"--objective", "gan", "--objective"},
                {"--lr", "NaN", "--lr"},
                {"--timesteps", "100000", "--timesteps"},
                {"--learning-rate", "0.1", "--learning-rate"},
                {"--dataset-size", "5", "--dataset-size"},
        };
        for (String[] c : cases) {
            Result r = run("train", "--samples", "/dev/null", c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.stderr());
            String line = lastLine(r.stderr());
            assertTrue(line.startsWith("error: " + c[2]), line);
            assertFalse(r.stderr().contains("Exception"), r.stderr());
        }
        Result missing = run("train", "--steps", "10");
        assertEquals(2, missing.code());
        assertTrue(lastLine(missing.stderr()).contains("--samples"));
        Result unknown = run("fly");
        assertEquals(2, unknown.code());
    }

    @Test
    void theWebAndWorkerRolesWithoutDatabaseUrlAndABadActiveRunCapSaySoInOneLineAndExitWithCode2() throws Exception {
        for (String[] how : new String[][] {{"--role", "web"}, {"--role", "worker"}}) {
            Result r = runWithout("DATABASE_URL", Map.of("PORT", "0"), "serve", how[0], how[1]);
            assertEquals(2, r.code(), r.stderr());
            String line = lastLine(r.stderr());
            assertTrue(line.startsWith("error: --role " + how[1] + " needs DATABASE_URL"), line);
            assertEquals(1, r.stderr().lines().filter(l -> l.startsWith("error")).count(), r.stderr());
        }
        Result fromEnvironment = runWithout("DATABASE_URL", Map.of("ROLE", "worker"), "serve");
        assertEquals(2, fromEnvironment.code());
        assertTrue(lastLine(fromEnvironment.stderr()).startsWith("error: --role worker needs DATABASE_URL"));
        Result badCap = runWithout("DATABASE_URL", Map.of("MAX_ACTIVE_RUNS", "0", "PORT", "0"), "serve");
        assertEquals(2, badCap.code(), badCap.stderr());
        assertEquals("error: $MAX_ACTIVE_RUNS must be a whole number between 1 and 100000", lastLine(badCap.stderr()));
        Result unknown = runWithout("DATABASE_URL", Map.of(), "serve", "--role", "cook");
        assertEquals(2, unknown.code());
        assertEquals("error: --role must be all, web or worker, got 'cook'", lastLine(unknown.stderr()));
    }

    @Test
    void serveRefusesToStartOnADatabaseFileThatIsNotAStore(@TempDir Path dataDir) throws Exception {
        Files.createFile(dataDir.resolve("diffusionlab.mv.db"));

        Process serve = start(Map.of("DATA_DIR", dataDir.toString(), "PORT", "0"), "serve");
        if (!serve.waitFor(60, TimeUnit.SECONDS)) {
            serve.destroyForcibly();
            fail("serve started on a 0-byte database file");
        }
        String stderr = new String(serve.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(1, serve.exitValue(), stderr);
        String line = lastLine(stderr);
        assertTrue(line.startsWith("error: cannot open the run store: ") && line.contains("DATA_DIR"), line);
        assertFalse(stderr.contains("Exception"), stderr);
        assertEquals(0, Files.size(dataDir.resolve("diffusionlab.mv.db")));
    }

    /**
     * In a fresh process, as {@code train} runs: after warm-up a training step allocates nothing (the bench's
     * allocation column, from ThreadMXBean). Checked in a child JVM because the test JVM's JIT state depends on
     * every test that ran before.
     */
    @Test
    void aTrainingStepAllocatesNothingAfterWarmUp() throws Exception {
        Result r = run("bench", "--steps", "3000", "--warmup", "5000", "--chain-reps", "0", "--reference-steps", "0");
        assertEquals(0, r.code(), r.stderr());
        int rows = 0;
        for (String line : r.stdout().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 5 && cols[0].matches("[a-z_]+") && cols[1].matches("\\d+")) {
                double perStep = Double.parseDouble(cols[cols.length - 1]);
                assertTrue(perStep < 16, line);
                rows++;
            }
        }
        assertEquals(7, rows, r.stdout()); // six objectives at batch 128, dsm also at 10,000
    }

    @Test
    void trainWritesSamplesAsCsvWithTheHeaderXY(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("s.csv");
        Result r = run("train", "--dataset", "moons", "--objective", "ddpm_simple", "--schedule", "linear",
                "--timesteps", "20", "--beta-start", "1e-4", "--beta-end", "0.2", "--steps", "300", "--batch-size", "64",
                "--hidden", "32", "--seed", "1", "--samples", out.toString(), "--n-samples", "500",
                "--sampler", "ddim", "--sample-steps", "10", "--weights", "raw");
        assertEquals(0, r.code(), r.stderr());
        List<String> lines = Files.readAllLines(out);
        assertEquals("x,y", lines.get(0));
        assertEquals(501, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] xy = line.split(",");
            assertEquals(2, xy.length);
            assertTrue(Double.isFinite(Double.parseDouble(xy[0])) && Double.isFinite(Double.parseDouble(xy[1])));
        }
        assertTrue(r.stderr().contains("step 300/300"), r.stderr());
    }

    @Test
    void trainsAFlowModelAndSamplesWithHeun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("flow.csv");
        Result r = run("train", "--dataset", "moons", "--objective", "flow_matching", "--timesteps", "20",
                "--steps", "300", "--batch-size", "64", "--hidden", "32", "--seed", "1", "--samples", out.toString(),
                "--n-samples", "200", "--sampler", "heun", "--sample-steps", "8");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(201, Files.readAllLines(out).size());
        assertTrue(r.stderr().contains("with heun (8 steps, 15 network evaluations)"), r.stderr());
    }

    @Test
    void trainsADiffusionModelAndSamplesWithDpmSolver(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dpm.csv");
        Result r = run("train", "--dataset", "moons", "--objective", "ddpm_simple", "--timesteps", "20",
                "--steps", "300", "--batch-size", "64", "--hidden", "32", "--seed", "1", "--samples", out.toString(),
                "--n-samples", "200", "--sampler", "dpm_solver_2m", "--sample-steps", "8");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(201, Files.readAllLines(out).size());
        assertTrue(r.stderr().contains("with dpm_solver_2m (8 steps, 8 network evaluations)"), r.stderr());
    }

    @Test
    void trainsAReflowOfAFinishedFlowOfTheStoreAndRefusesARunThatIsNone(@TempDir Path dir) throws Exception {
        String parent;
        String diffusion;
        try (RunRegistry registry = RunRegistry.open(1, StoreSettings.defaults(dir))) {
            Map<String, Object> tiny = Map.of("dataset", "moons", "datasetSize", 500, "steps", 300, "hidden", 16,
                    "layers", 2, "timesteps", 20, "batchSize", 64);
            Map<String, Object> flow = new java.util.HashMap<>(tiny);
            flow.put("objective", "flow_matching");
            Run flowRun = registry.create(ConfigParser.parse(flow), "owner");
            Run diffusionRun = registry.create(ConfigParser.parse(tiny), "owner");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!(flowRun.state().isTerminal() && diffusionRun.state().isTerminal())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            parent = flowRun.id();
            diffusion = diffusionRun.id();
        }
        Map<String, String> env = Map.of("DATA_DIR", dir.toString());
        Path out = dir.resolve("reflow.csv");
        Result r = run(env, "train", "--objective", "flow_matching", "--reflow-from", parent, "--dataset", "moons",
                "--timesteps", "20", "--steps", "300", "--batch-size", "64", "--hidden", "16", "--samples",
                out.toString(), "--n-samples", "200");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(201, Files.readAllLines(out).size());

        Result refused = run(env, "train", "--objective", "flow_matching", "--reflow-from", diffusion, "--steps", "10",
                "--samples", out.toString());
        assertEquals(2, refused.code(), refused.stderr());
        assertTrue(lastLine(refused.stderr()).contains("--reflow-from") && refused.stderr().contains("ddpm_simple"),
                refused.stderr());
    }

    @Test
    void aDiffusionModelAskedForEulerIsRefusedNamingTheSampler(@TempDir Path dir) throws Exception {
        Result r = run("train", "--objective", "ddpm_simple", "--steps", "10", "--sampler", "euler",
                "--samples", dir.resolve("s.csv").toString());
        assertTrue(r.code() != 0, r.stdout());
        assertTrue(r.stderr().contains("sampler") && r.stderr().contains("euler"), r.stderr());
    }
}
