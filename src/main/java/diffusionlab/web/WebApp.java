package diffusionlab.web;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.StoreException;
import diffusionlab.web.api.ClassApi;
import diffusionlab.web.api.LangevinPathApi;
import diffusionlab.web.api.LessonApi;
import diffusionlab.web.api.LossVariantsApi;
import diffusionlab.web.api.OnDemandSampler;
import diffusionlab.web.api.RunApi;
import diffusionlab.web.api.RunControls;
import diffusionlab.web.api.RunDownloads;
import diffusionlab.web.api.SampleApi;
import diffusionlab.web.api.ScheduleApi;
import diffusionlab.web.api.TeacherApi;
import diffusionlab.web.classroom.ClassChannel;
import diffusionlab.web.classroom.ClassSettings;
import diffusionlab.web.errors.ErrorHandlers;
import diffusionlab.web.json.Json;
import diffusionlab.web.json.JsonBody;
import diffusionlab.web.live.LiveHub;
import diffusionlab.web.pages.PageRenderer;
import diffusionlab.web.pages.Pages;
import diffusionlab.web.pages.StaticAssets;
import diffusionlab.web.security.AdminToken;
import diffusionlab.web.security.ClientAddress;
import diffusionlab.web.security.ClientRuns;
import diffusionlab.web.security.CsrfGuard;
import diffusionlab.web.security.OriginCheck;
import diffusionlab.web.security.OwnerCookie;
import diffusionlab.web.security.RunCreationLimit;
import diffusionlab.web.security.RunPermissions;
import diffusionlab.web.security.SecurityHeaders;
import diffusionlab.web.security.TeacherCookie;
import diffusionlab.web.wire.WireFormat;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.Map;

/**
 * The web app: pages, the JSON API and the live socket over a {@link RunRegistry}, all routes in one place.
 * Static files come from {@code static/} and Chart.js from its webjar, both inside the jar (works offline);
 * the pages link to the static files under a content-hashed path ({@link StaticAssets}) that browsers cache.
 * Every response gets {@link SecurityHeaders}; every state-changing request passes {@link CsrfGuard}; the
 * live socket checks its origin ({@link OriginCheck}); runs are started under a per-client
 * {@link RunCreationLimit} and share ({@link ClientRuns}, which the teacher's {@link ClassSettings} may close or
 * cap), and controlled under {@link RunPermissions} (owner cookie or {@link AdminToken}); the teacher presents to
 * the class through one {@link ClassChannel}; work that costs more than the settings' cost limits is refused before it starts.
 */
public final class WebApp implements AutoCloseable {
    /** Large enough for 100,000 drawn points as JSON. */
    public static final int MAX_BODY_BYTES = 8_000_000;
    /**
     * The bodies being parsed at once may have read this share of the heap together (at least one largest
     * body): parsing costs at most a few bytes per byte read, so this keeps it well under a third of the heap.
     */
    static final int BODY_BUDGET_SHARE = 16;
    static final Duration SOCKET_IDLE_TIMEOUT = Duration.ofSeconds(90);

    private final Javalin app;
    private final LiveHub live;
    private final OnDemandSampler sampler;

    /** With the production defaults ({@link WebSettings#defaults()}). */
    public WebApp(RunRegistry registry, int maxActiveRuns) {
        this(registry, maxActiveRuns, WebSettings.defaults());
    }

    public WebApp(RunRegistry registry, int maxActiveRuns, WebSettings settings) {
        ObjectMapper mapper = Json.mapper();
        StaticAssets assets = StaticAssets.fromClasspath();
        PageRenderer renderer = PageRenderer.precompiled(assets);
        ClientAddress address = new ClientAddress(settings.trustForwardedFor());
        OwnerCookie owner = new OwnerCookie(address);
        OriginCheck origins = new OriginCheck(address);
        SecurityHeaders headers = new SecurityHeaders(address);
        CsrfGuard csrf = new CsrfGuard(origins);
        AdminToken admin = new AdminToken(settings.adminToken(), address);
        TeacherCookie teacher = registry.mirrorsWorkers()
                ? new TeacherCookie(admin, address, registry.sharedDocument(TeacherCookie.SIGNED_OUT))
                : new TeacherCookie(admin, address);
        RunPermissions permissions = new RunPermissions(owner, admin, teacher);
        RunCreationLimit limit = new RunCreationLimit(settings.runsPerMinute(), settings.runBurst(), address);
        JsonBody body = new JsonBody(MAX_BODY_BYTES, Runtime.getRuntime().maxMemory() / BODY_BUDGET_SHARE);
        ClassSettings classSettings = new ClassSettings(mapper, registry.sharedDocument(ClassSettings.DOCUMENT));
        ClassChannel classChannel = new ClassChannel(mapper, registry.sharedDocument(ClassChannel.DOCUMENT));
        ClientRuns clientRuns = new ClientRuns(registry, address, permissions, settings.shares().activeRuns(),
                classSettings);
        WireFormat wire = new WireFormat(mapper);
        this.live = new LiveHub(registry, classChannel, wire, origins, address, settings.maxViewers(),
                settings.shares().viewers());
        this.sampler = new OnDemandSampler(settings.shares().sampleJobs());

        Pages pages = new Pages(registry, renderer, permissions, teacher, classChannel, mapper);
        RunApi runs = new RunApi(registry, owner, permissions, limit, clientRuns, settings.costs(), body,
                maxActiveRuns);
        RunControls controls = new RunControls(registry, permissions);
        RunDownloads downloads = new RunDownloads(registry, sampler, address, settings.costs());
        SampleApi samples = new SampleApi(registry, sampler, address, settings.costs());
        ScheduleApi schedule = new ScheduleApi();
        TeacherApi teacherApi = new TeacherApi(teacher, body);
        LossVariantsApi lossVariants = new LossVariantsApi(body, runs);
        ClassApi classApi = new ClassApi(registry, permissions, classChannel, classSettings, body);
        LangevinPathApi langevinPath = new LangevinPathApi(registry);
        LessonApi lessonApi = new LessonApi(wire);
        ErrorHandlers errors = new ErrorHandlers(renderer, mapper);

        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.prefer405over404 = true; // a known path with the wrong method: 405 and Allow (ErrorHandlers)
            config.jetty.modifyServer(server -> server.setErrorHandler(
                    errors.jettyHandler(SecurityHeaders.CONTENT_SECURITY_POLICY)));
            config.staticFiles.add(files -> { // what the pages link to: the URL changes with the content
                files.hostedPath = assets.prefix();
                files.directory = "/static";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
            });
            config.staticFiles.add(files -> { // the same files at a stable URL, checked on every use
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setIdleTimeout(SOCKET_IDLE_TIMEOUT);
                factory.setMaxTextMessageSize(LiveHub.MAX_INCOMING_BYTES);
                factory.setMaxBinaryMessageSize(LiveHub.MAX_INCOMING_BYTES);
            });
            config.router.apiBuilder(() -> {
                get("/", pages::home);
                get("/runs/{id}", pages::run);
                get("/compare", pages::compare);
                get("/teacher", pages::teacher);
                get("/class", pages::classView);
                get("/class/follow", pages::follow);
                ws("/class/live", live::configureClass);
                get("/lesson", pages::lessonIndex);
                get("/lesson/{section}", pages::lesson);
                get("/favicon.ico", ctx -> ctx.redirect("/static/favicon.svg"));
                ws("/runs/{id}/live", live::configure);
                path("/api", () -> {
                    get("/schedule", schedule::alphaBar);
                    get("/lesson/{section}/preview", lessonApi::preview);
                    path("/teacher", () -> {
                        get(teacherApi::get);
                        post(teacherApi::signIn);
                        delete(teacherApi::signOut);
                    });
                    post("/compare/loss-variants", lossVariants::start);
                    path("/class", () -> {
                        get(classApi::get);
                        post("/present", classApi::present);
                        delete("/present", classApi::endPresenting);
                        get("/runs", classApi::runs);
                        post("/pause-all", classApi::pauseAll);
                        post("/resume-all", classApi::resumeAll);
                        post("/stop-all", classApi::stopAll);
                        post("/settings", classApi::updateSettings);
                    });
                    path("/runs", () -> {
                        get(runs::list);
                        post(runs::create);
                        path("/{id}", () -> {
                            get(runs::get);
                            delete(runs::delete);
                            post("/pause", controls::pause);
                            post("/resume", controls::resume);
                            post("/stop", controls::stop);
                            post("/reflow", runs::reflow);
                            get("/sample", samples::sample);
                            get("/samples.csv", downloads::samples);
                            get("/loss.csv", downloads::loss);
                            get("/config.json", downloads::config);
                            get("/weights.npy", downloads::weights);
                            get("/langevin-path", langevinPath::path);
                        });
                    });
                });
            });
            config.router.mount(router -> {
                router.before(headers::apply);
                router.before(ctx -> requireStore(registry, ctx));
                router.before(csrf::check);
                router.wsBeforeUpgrade("/runs/{id}/live", live::beforeUpgrade);
                router.wsBeforeUpgrade("/class/live", live::beforeClassUpgrade);
                errors.register(router);
            });
        });
    }

    /**
     * A web instance whose database is out of reach (web role: it no longer hears the workers) answers 503
     * saying so, but for its static files; it recovers by itself when the database is back.
     */
    private static void requireStore(RunRegistry registry, io.javalin.http.Context ctx) {
        if (!registry.storeReachable() && !ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/")) {
            throw new StoreException("the bus is not listening");
        }
    }

    public WebApp start(int port) {
        app.start(port);
        return this;
    }

    /** The port it listens on (useful after {@code start(0)}). */
    public int port() {
        return app.port();
    }

    public LiveHub live() {
        return live;
    }

    @Override
    public void close() {
        app.stop();
        live.close();
        sampler.close();
    }
}
