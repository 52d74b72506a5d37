package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Draws a large sample on several cores: the points are cut into {@code slices} independent chains, each
 * with its own workspace and its own split of the random stream, and the chains are joined step by step.
 * The result depends on the seed and the number of slices, not on the number of threads. The chain keeps
 * only its samples.
 */
public final class ParallelSampling {
    private ParallelSampling() {
    }

    public static Chain sample(SamplingConfig config, ModelView model, int n, Rng rng, int slices,
                               ExecutorService pool) {
        int k = Math.max(1, Math.min(slices, n));
        List<Future<Chain>> parts = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            int from = (int) ((long) n * s / k);
            int to = (int) ((long) n * (s + 1) / k);
            ModelView view = s == 0 ? model : model.copy();
            Rng stream = rng.split();
            parts.add(pool.submit(() -> config.sample(view, to - from, stream, ChainRecording.LAST,
                    Cancellation.NEVER)));
        }
        try {
            List<Chain> chains = new ArrayList<>();
            for (Future<Chain> f : parts) {
                chains.add(f.get());
            }
            return join(chains, n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sampling interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sampling failed: " + e.getCause(), e.getCause());
        }
    }

    private static Chain join(List<Chain> chains, int n) {
        int length = chains.get(0).states().length;
        float[][] states = new float[length][2 * n];
        for (int step = 0; step < length; step++) {
            int offset = 0;
            for (Chain c : chains) {
                float[] part = c.states()[step];
                System.arraycopy(part, 0, states[step], offset, part.length);
                offset += part.length;
            }
        }
        return new Chain(states, chains.get(0).steps());
    }
}
