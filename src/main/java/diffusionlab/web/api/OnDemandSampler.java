package diffusionlab.web.api;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.CancelledException;
import diffusionlab.engine.Rng;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.FrozenWeights;
import diffusionlab.web.errors.HttpProblem;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Samples a run's frozen weights on request (the dashboard's sampler panel, the samples CSV) on one
 * background thread with a short queue, so sampling never takes more than one core from training and a
 * burst of requests is answered 429 rather than piling up. Points are drawn in chunks, and a chain keeps
 * only the states of the paths it answers. A request is given up at the next step of its chain once its
 * {@link Cancellation} says so (the client hung up, the run was deleted), freeing the thread for the next.
 */
public final class OnDemandSampler implements AutoCloseable {
    static final int CHUNK = 2000;
    static final int QUEUE = 4;
    static final int TRAJECTORIES = 16;
    static final int PATH_POINTS = 101;

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "on-demand-sampler");
                t.setDaemon(true);
                t.setPriority(Thread.NORM_PRIORITY - 1);
                return t;
            });

    /** Samples drawn from one copy of a run's weights, with the first few points' paths through the chain. */
    public record Result(long trainingStep, String sampler, boolean ema, int sampleSteps, float[] cloud,
                         float[][] trajectories, long millis) {
    }

    /** Queues a request; its future fails with {@link CancelledException} when it is given up. */
    public CompletableFuture<Result> sample(FrozenWeights weights, SamplingConfig sampling, int n, long seed,
                                            Cancellation cancellation) {
        try {
            return CompletableFuture.supplyAsync(() -> draw(weights, sampling, n, seed, cancellation), executor);
        } catch (RejectedExecutionException e) {
            throw HttpProblem.tooManyRequests("the sampler is busy with other requests; try again in a moment");
        }
    }

    private static Result draw(FrozenWeights weights, SamplingConfig sampling, int n, long seed,
                               Cancellation cancellation) {
        cancellation.check(); // given up while queued
        long start = System.nanoTime();
        ModelView view = weights.view(sampling.ema());
        Rng rng = new Rng(seed);
        float[] cloud = new float[2 * n];
        float[][] paths = null;
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            ChainRecording recording = paths == null ? ChainRecording.thinned(PATH_POINTS) : ChainRecording.LAST;
            Chain chain = sampling.sample(view, m, rng, recording, cancellation);
            System.arraycopy(chain.last(), 0, cloud, 2 * from, 2 * m);
            if (paths == null) {
                paths = chain.trajectories(TRAJECTORIES, PATH_POINTS);
            }
        }
        int chainSteps = sampling.chainSteps(view.isScoreModel(), view.schedule().timesteps);
        return new Result(weights.step(), sampling.effectiveSampler(view).id(), sampling.ema(), chainSteps, cloud,
                paths, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
