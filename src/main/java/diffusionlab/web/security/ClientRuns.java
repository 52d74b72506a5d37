package diffusionlab.web.security;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.classroom.ClassSettings;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which client started which run, so that one client holds at most {@code max} active runs (queued, training
 * or paused; {@link FairShares#activeRuns()}, or the teacher's cap in {@link ClassSettings}) and the others always
 * find a slot; while the teacher has closed starting runs to students, a student's request is a 403. The teacher is
 * neither counted nor refused. Runs brought back after a restart belong to no one.
 */
public final class ClientRuns {
    /** A run takes minutes: ask again in one. */
    public static final long RETRY_AFTER_SECONDS = 60;

    private final RunRegistry registry;
    private final ClientAddress address;
    private final RunPermissions permissions;
    private final int max;
    private final ClassSettings settings;
    private final Map<String, String> clientOf = new ConcurrentHashMap<>(); // run id -> client

    public ClientRuns(RunRegistry registry, ClientAddress address, RunPermissions permissions, int max,
                      ClassSettings settings) {
        this.registry = registry;
        this.address = address;
        this.permissions = permissions;
        this.max = max;
        this.settings = settings;
    }

    /**
     * Starts {@code count} runs with {@code start} when they fit in the client's share, or throws 429 with
     * {@code Retry-After}, or 403 while the teacher lets no student start runs; checking and starting are one step,
     * so concurrent requests cannot overshoot.
     */
    public synchronized List<Run> start(Context ctx, int count, Supplier<List<Run>> start) {
        boolean teacher = permissions.isTeacher(ctx);
        String client = address.of(ctx);
        if (!teacher) {
            requireOpen(ctx);
            int max = settings.activeRunsPerClient().orElse(this.max);
            long active = active(client);
            if (active + count > max) {
                throw HttpProblem.tooManyRequests("you already have " + active + " runs training or waiting (at most "
                        + max + " at once); stop one or wait for one to finish", RETRY_AFTER_SECONDS);
            }
        }
        List<Run> runs = start.get();
        if (!teacher) {
            runs.forEach(r -> clientOf.put(r.id(), client));
        }
        return runs;
    }

    /** 403 for a student while the teacher has closed starting runs (before a body is even read). */
    public void requireOpen(Context ctx) {
        if (!settings.studentsMayStart() && !permissions.isTeacher(ctx)) {
            throw HttpProblem.forbidden("the teacher has closed starting runs for now: watch the class's runs, "
                    + "or ask the teacher");
        }
    }

    /** The client's active runs; forgets the runs that ended or were deleted. */
    private long active(String client) {
        clientOf.entrySet().removeIf(e -> registry.get(e.getKey()).map(r -> !r.state().isActive()).orElse(true));
        return clientOf.values().stream().filter(client::equals).count();
    }
}
