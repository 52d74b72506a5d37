package diffusionlab.cli;

import diffusionlab.training.ClusterWorker;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.WebApp;
import diffusionlab.web.WebSettings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the web app on {@code $PORT} (which wins), {@code --port N}, or 7070; at most
 * {@code $MAX_CONCURRENT_RUNS} runs train at once (default: the number of cores), the others wait in line.
 * {@code $ADMIN_TOKEN}, {@code $RUNS_PER_MINUTE} and {@code $TRUST_PROXY}: see {@link WebSettings}.
 * {@code --role} (or {@code $ROLE}; the option wins) splits the app over processes that share PostgreSQL
 * (docs/SCALING.md): {@code all} (the default) is the single process; {@code web} serves the pages, the API and
 * the live sockets and trains nothing; {@code worker} trains runs from the shared queue
 * ({@code $MAX_CONCURRENT_RUNS} at once per worker) and serves nothing. Both need {@code $DATABASE_URL}.
 */
public final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    static final int DEFAULT_PORT = 7070;
    /** Queued, running and paused runs together ({@code $MAX_ACTIVE_RUNS}, over all workers); more are refused with 429. */
    static final int MAX_ACTIVE_RUNS = 16;

    private ServeCommand() {
    }

    /** Which part of the app this process is. */
    enum Role {
        ALL, WEB, WORKER;

        static Role parse(String value, String source) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(value.strip())) {
                    return r;
                }
            }
            throw new UsageException(source, source + " must be all, web or worker, got '" + value + "'");
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static int run(Args args) {
        int port = args.takeInt("port", DEFAULT_PORT, 0, 65535);
        String roleOption = args.take("role", null);
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("serve", "unknown serve option(s): " + args.remainingAsCamelCase().keySet()
                    + "; serve takes only --port N and --role all|web|worker");
        }
        String roleEnv = System.getenv("ROLE");
        Role role = roleOption != null ? Role.parse(roleOption, "--role")
                : roleEnv != null && !roleEnv.isBlank() ? Role.parse(roleEnv, "$ROLE") : Role.ALL;
        String databaseUrl = System.getenv("DATABASE_URL");
        if (role != Role.ALL && (databaseUrl == null || databaseUrl.isBlank())) {
            throw new UsageException("DATABASE_URL", "--role " + role.id() + " needs DATABASE_URL: web and worker "
                    + "processes share their runs through PostgreSQL (postgres://user:password@host:5432/db); "
                    + "without one, run --role all");
        }
        port = fromEnvironment("PORT", port, 0, 65535);
        int concurrent = fromEnvironment("MAX_CONCURRENT_RUNS", Runtime.getRuntime().availableProcessors(), 1, 64);
        if (role == Role.WORKER) {
            return work(concurrent);
        }
        int maxActive = fromEnvironment("MAX_ACTIVE_RUNS", MAX_ACTIVE_RUNS, 1, 100_000);
        WebSettings settings;
        try {
            settings = WebSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UsageException("environment", e.getMessage());
        }
        RunRegistry registry;
        try {
            StoreSettings store = StoreSettings.fromEnvironment(System.getenv());
            registry = role == Role.WEB ? RunRegistry.openMirror(store) : RunRegistry.open(concurrent, store);
            LOG.info("Runs are stored in {}", store.databaseUrl() != null ? "PostgreSQL (DATABASE_URL)"
                    : store.dataDir().toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new UsageException("environment", e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("error: cannot open the run store: " + e.getMessage());
            return 1;
        }
        WebApp web = new WebApp(registry, maxActive, settings).start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            web.close();
            registry.close();
        }, "shutdown"));
        if (role == Role.WEB) {
            LOG.info("Diffusion Lab (web: worker processes train the runs) is listening on http://localhost:{}/ ({})",
                    web.port(), settings);
        } else {
            LOG.info("Diffusion Lab is listening on http://localhost:{}/ ({} run(s) train at once; {})", web.port(),
                    concurrent, settings);
        }
        return 0;
    }

    /** The worker role: trains runs from the shared queue until the process is told to stop. */
    private static int work(int concurrent) {
        ClusterWorker worker;
        try {
            worker = ClusterWorker.open(concurrent, StoreSettings.fromEnvironment(System.getenv()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("environment", e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("error: cannot open the run store: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close(); // each run saves a checkpoint and is given up: another worker resumes it at once
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int fromEnvironment(String name, int fallback, int min, int max) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new UsageException(name, "$" + name + " must be a whole number between " + min + " and " + max);
    }
}
