package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Small runs and waiting for their states, for the registry tests. */
final class RunFixtures {
    private RunFixtures() {
    }

    /** A tiny model (about 40,000 steps a second here) on 1,000 swiss-roll points. */
    static RunConfig small(String name, long steps, Object... overrides) {
        Map<String, Object> m = new HashMap<>(Map.of("preset", "default", "name", name, "steps", steps, "hidden", 16,
                "layers", 2, "datasetSize", 1000, "batchSize", 64, "seed", 3));
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            m.put((String) overrides[i], overrides[i + 1]);
        }
        return ConfigParser.parse(m);
    }

    static RunStatus await(Run run, Predicate<RunStatus> condition, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            RunStatus s = run.status();
            if (condition.test(s)) {
                return s;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting; the run is " + s);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static RunStatus awaitEnd(Run run, long timeoutMillis) {
        return await(run, s -> s.state().isTerminal(), timeoutMillis);
    }
}
