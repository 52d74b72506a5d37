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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Samples a run's frozen weights on request (the dashboard's sampler panel, the samples CSV) on one
 * background thread with a short queue, so sampling never takes more than one core from training and a
 * burst of requests is answered 429 rather than piling up. Each client has at most {@code perClient} jobs
 * queued or drawing, so one client's heavy jobs never fill the queue for the others. A 429 says when to try
 * again: the estimated seconds of the work already accepted. Points are drawn in chunks, and a chain keeps
 * only the states of the paths it answers. A request is given up at the next step of its chain once its
 * {@link Cancellation} says so (its run was deleted), freeing the thread for the next. A client that hangs up
 * is not noticed: Jetty does not see the connection close while the request waits asynchronously, so the
 * cost check before the work (at most {@code SAMPLE_SECONDS} of a core) and the per-client share bound it.
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

    private final int perClient;
    private final Map<String, Integer> jobs = new HashMap<>(); // per client, queued or drawing; guarded by this
    private double pendingSeconds; // estimated work accepted and not finished; guarded by this

    public OnDemandSampler(int perClient) {
        this.perClient = perClient;
    }

    /** Samples drawn from one copy of a run's weights, with the first few points' paths through the chain. */
    public record Result(long trainingStep, String sampler, boolean ema, int sampleSteps, float[] cloud,
                         float[][] trajectories, long millis) {
    }

    /**
     * Queues the request for {@code client}, or throws 429 when the client has its share or the queue is full;
     * the future fails with {@link CancelledException} when the request is given up.
     */
    public CompletableFuture<Result> sample(String client, FrozenWeights weights, SamplingRequest request,
                                            Cancellation cancellation) {
        double seconds = request.cost().seconds();
        synchronized (this) {
            int mine = jobs.getOrDefault(client, 0);
            if (mine >= perClient) {
                throw HttpProblem.tooManyRequests("you already have " + mine + " sample(s) being drawn (at most "
                        + perClient + " at once); try again when it is done", retryAfterSeconds());
            }
            jobs.merge(client, 1, Integer::sum);
            pendingSeconds += seconds;
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return draw(weights, request.sampling(), request.n(), request.seed(), cancellation);
                } finally {
                    finished(client, seconds);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            finished(client, seconds);
            throw HttpProblem.tooManyRequests("the sampler is busy with other requests; try again in a moment",
                    retryAfterSeconds());
        }
    }

    private synchronized void finished(String client, double seconds) {
        jobs.computeIfPresent(client, (c, k) -> k > 1 ? k - 1 : null);
        pendingSeconds = Math.max(0, pendingSeconds - seconds);
    }

    private synchronized long retryAfterSeconds() {
        return (long) Math.ceil(pendingSeconds);
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
        int chainSteps = sampling.chainSteps(view.objective(), view.schedule().timesteps);
        return new Result(weights.step(), sampling.effectiveSampler(view).id(), sampling.ema(), chainSteps, cloud,
                paths, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
