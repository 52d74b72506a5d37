package diffusionlab.web.live;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.RunLookup;
import diffusionlab.web.classroom.ClassChannel;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.security.ClientAddress;
import diffusionlab.web.security.OriginCheck;
import diffusionlab.web.wire.WireFormat;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The live sockets. {@code /runs/{id}/live}: on connect one snapshot (taken atomically with the subscription),
 * then increments, each viewer through its own bounded {@link LiveViewer}. {@code /class/live}: the teacher's
 * presenter state ({@link ClassChannel}) on connect and on every change, through a {@link ClassFollower} that keeps
 * only the newest. Both count as viewers: before the upgrade, unknown runs are refused with 404, a page of another
 * site ({@code Origin}) with 403, and past {@code maxViewers} sockets in all or {@code perClient} from one client
 * ({@link ClientAddress}) with 429. Viewers are read-only: one that
 * sends anything at all is closed (1008, policy violation), and Jetty closes one whose message exceeds
 * {@link #MAX_INCOMING_BYTES} (1009).
 */
public final class LiveHub implements AutoCloseable {
    static final int SENDER_THREADS = 2;
    static final long PING_SECONDS = 20;
    /** Browsers send nothing but pongs; anything larger than this is refused by Jetty itself. */
    public static final int MAX_INCOMING_BYTES = 1024;
    static final int POLICY_VIOLATION = 1008;
    static final long RETRY_AFTER_SECONDS = 30;
    private static final String CLIENT = "live-client";

    private final RunRegistry registry;
    private final ClassChannel classChannel;
    private final RunLookup runs;
    private final SharedEncoding encoding;
    private final OriginCheck origins;
    private final ClientAddress address;
    private final int maxViewers;
    private final int perClient;
    private final ExecutorService sender;
    private final Map<String, Viewing> viewers = new ConcurrentHashMap<>();

    /** One socket: a run's viewer ({@code viewer} non-null) or a class follower, and how to let it go. */
    private record Viewing(LiveViewer viewer, String client, Runnable leave) {
    }

    public LiveHub(RunRegistry registry, ClassChannel classChannel, WireFormat wire, OriginCheck origins,
                   ClientAddress address, int maxViewers, int perClient) {
        this.registry = registry;
        this.classChannel = classChannel;
        this.runs = new RunLookup(registry);
        this.encoding = new SharedEncoding(wire);
        this.origins = origins;
        this.address = address;
        this.maxViewers = maxViewers;
        this.perClient = perClient;
        AtomicInteger n = new AtomicInteger();
        this.sender = Executors.newFixedThreadPool(SENDER_THREADS, r -> {
            Thread t = new Thread(r, "live-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Refuses the upgrade: 403 from another site's page, 404 when the run does not exist, 429 when the server or
     * the client has all the sockets it may.
     */
    public void beforeUpgrade(Context ctx) {
        origins.require(ctx, "a live socket");
        runs.require(ctx.pathParam("id"));
        requireRoom(ctx);
    }

    /** Refuses the class socket's upgrade: 403 from another site's page, 429 past the caps. */
    public void beforeClassUpgrade(Context ctx) {
        origins.require(ctx, "the class socket");
        requireRoom(ctx);
    }

    private void requireRoom(Context ctx) {
        String client = address.of(ctx);
        long mine = viewers.values().stream().filter(v -> v.client().equals(client)).count();
        if (mine >= perClient) {
            throw HttpProblem.tooManyRequests("you already have " + mine + " live views open (at most " + perClient
                    + "); close some tabs", RETRY_AFTER_SECONDS);
        }
        if (viewers.size() >= maxViewers) {
            throw HttpProblem.tooManyRequests("there are already " + viewers.size() + " live viewers; try again later",
                    RETRY_AFTER_SECONDS);
        }
        ctx.attribute(CLIENT, client);
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::join);
        listenOnly(ws);
    }

    public void configureClass(WsConfig ws) {
        ws.onConnect(this::follow);
        listenOnly(ws);
    }

    private void listenOnly(WsConfig ws) {
        ws.onClose(ctx -> leave(ctx.sessionId()));
        ws.onError(ctx -> leave(ctx.sessionId()));
        ws.onMessage(ctx -> refuse(ctx.sessionId(), ctx.session));
        ws.onBinaryMessage(ctx -> refuse(ctx.sessionId(), ctx.session));
    }

    /** A viewer only listens: one that talks is closed and forgotten. */
    private void refuse(String sessionId, Session session) {
        leave(sessionId);
        session.close(POLICY_VIOLATION, "viewers only listen");
    }

    /** How many viewers are connected, over all runs. */
    public int viewerCount() {
        return viewers.size();
    }

    /**
     * What is waiting to be sent, over all viewers: the most points and messages any one viewer has waiting
     * and in flight (bounded by construction), and the totals sent and dropped so far by those connected.
     */
    public record Backlog(int viewers, int maxPendingPoints, int maxPendingMessages, int maxInFlight, long sent,
                          long droppedPictures) {
    }

    public Backlog backlog() {
        int points = 0;
        int messages = 0;
        int inFlight = 0;
        long sent = 0;
        long dropped = 0;
        int count = 0;
        for (Viewing v : viewers.values()) {
            LiveViewer viewer = v.viewer();
            if (viewer == null) {
                continue; // a class follower
            }
            points = Math.max(points, viewer.pendingPoints());
            messages = Math.max(messages, viewer.pendingMessages());
            inFlight = Math.max(inFlight, viewer.inFlight());
            sent += viewer.sent();
            dropped += viewer.dropped();
            count++;
        }
        return new Backlog(count, points, messages, inFlight, sent, dropped);
    }

    private void join(WsConnectContext ctx) {
        Optional<Run> run = registry.get(ctx.pathParam("id"));
        if (run.isEmpty()) { // deleted between the upgrade and now
            ctx.closeSession(4404, "no such run");
            return;
        }
        ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
        LiveViewer viewer = new LiveViewer(ctx.session, encoding, sender);
        viewers.put(ctx.sessionId(), new Viewing(viewer, ctx.attribute(CLIENT), () -> {
            run.get().unsubscribe(viewer);
            viewer.close();
        }));
        viewer.start(run.get().subscribe(viewer));
    }

    private void follow(WsConnectContext ctx) {
        ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
        ClassFollower follower = new ClassFollower(ctx.session, sender);
        viewers.put(ctx.sessionId(), new Viewing(null, ctx.attribute(CLIENT), () -> {
            classChannel.unfollow(follower);
            follower.close();
        }));
        classChannel.follow(follower);
    }

    private void leave(String sessionId) {
        Viewing viewing = viewers.remove(sessionId);
        if (viewing != null) {
            viewing.leave().run();
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
