package diffusionlab.training.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Storage settings from the environment: {@code DATA_DIR} (./data) holds the embedded database unless
 * {@code DATABASE_URL} names a PostgreSQL server; {@code CHECKPOINT_EVERY_STEPS} (5000) and
 * {@code CHECKPOINT_EVERY_SECONDS} (10) bound what a crash can lose; {@code KEEP_FINISHED_RUNS} (200 newest)
 * and {@code KEEP_FINISHED_DAYS} (no limit) prune finished runs, 0 meaning no limit.
 */
public record StoreSettings(Path dataDir, String databaseUrl, CheckpointPolicy checkpoints, PrunePolicy retention) {

    public static StoreSettings defaults(Path dataDir) {
        return new StoreSettings(dataDir, null, CheckpointPolicy.DEFAULT, PrunePolicy.DEFAULT);
    }

    /** Reads the variables; a malformed value is an {@link IllegalArgumentException} naming it. */
    public static StoreSettings fromEnvironment(Map<String, String> env) {
        String dir = text(env, "DATA_DIR");
        String url = text(env, "DATABASE_URL");
        if (url != null) {
            DatabaseTarget.fromUrl(url); // fail at start, with the expected form, rather than at the first write
        }
        long steps = number(env, "CHECKPOINT_EVERY_STEPS", CheckpointPolicy.DEFAULT.everySteps(), 1, 10_000_000);
        long seconds = number(env, "CHECKPOINT_EVERY_SECONDS", CheckpointPolicy.DEFAULT.everyMillis() / 1000, 1, 86_400);
        long keep = number(env, "KEEP_FINISHED_RUNS", PrunePolicy.DEFAULT.keepFinished(), 0, 1_000_000);
        long days = number(env, "KEEP_FINISHED_DAYS", 0, 0, 36_500);
        return new StoreSettings(Path.of(dir == null ? "data" : dir), url, new CheckpointPolicy(steps, seconds * 1000),
                new PrunePolicy((int) keep, days * 86_400_000L));
    }

    /** The database these settings name. */
    public DatabaseTarget target() {
        return databaseUrl == null ? DatabaseTarget.h2(dataDir) : DatabaseTarget.fromUrl(databaseUrl);
    }

    private static String text(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        String v = text(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("$" + name + " must be a whole number between " + min + " and " + max
                + ", got '" + v + "'");
    }
}
