package diffusionlab.cli;

import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.WebApp;
import diffusionlab.web.WebSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the web app on {@code $PORT} (which wins), {@code --port N}, or 7070; at most
 * {@code $MAX_CONCURRENT_RUNS} runs train at once (default: the number of cores), the others wait in line.
 * {@code $ADMIN_TOKEN}, {@code $RUNS_PER_MINUTE} and {@code $TRUST_PROXY}: see {@link WebSettings}.
 */
public final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    static final int DEFAULT_PORT = 7070;
    /** Queued, running and paused runs together; more are refused with 429. */
    static final int MAX_ACTIVE_RUNS = 16;

    private ServeCommand() {
    }

    public static int run(Args args) {
        int port = args.takeInt("port", DEFAULT_PORT, 0, 65535);
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("serve", "unknown serve option(s): " + args.remainingAsCamelCase().keySet()
                    + "; serve takes only --port N");
        }
        port = fromEnvironment("PORT", port, 0, 65535);
        int concurrent = fromEnvironment("MAX_CONCURRENT_RUNS", Runtime.getRuntime().availableProcessors(), 1, 64);
        WebSettings settings;
        try {
            settings = WebSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UsageException("environment", e.getMessage());
        }
        RunRegistry registry;
        try {
            StoreSettings store = StoreSettings.fromEnvironment(System.getenv());
            registry = RunRegistry.open(concurrent, store);
            LOG.info("Runs are stored in {}", store.databaseUrl() != null ? "PostgreSQL (DATABASE_URL)"
                    : store.dataDir().toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new UsageException("environment", e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("error: cannot open the run store: " + e.getMessage());
            return 1;
        }
        WebApp web = new WebApp(registry, MAX_ACTIVE_RUNS, settings).start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            web.close();
            registry.close();
        }, "shutdown"));
        LOG.info("Diffusion Lab is listening on http://localhost:{}/ ({} run(s) train at once; {})", web.port(),
                concurrent, settings);
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
