package diffusionlab.web.live;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.RunLookup;
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

/**
 * The live socket {@code /runs/{id}/live}: on connect one snapshot (taken atomically with the subscription),
 * then increments, each viewer through its own bounded {@link LiveViewer}. Unknown runs are refused with
 * 404 before the upgrade. Messages from browsers are ignored: viewers are read-only.
 */
public final class LiveHub implements AutoCloseable {
    static final int SENDER_THREADS = 2;
    static final long PING_SECONDS = 20;

    private final RunRegistry registry;
    private final RunLookup runs;
    private final WireFormat wire;
    private final ExecutorService sender;
    private final Map<String, Viewing> viewers = new ConcurrentHashMap<>();

    private record Viewing(Run run, LiveViewer viewer) {
    }

    public LiveHub(RunRegistry registry, WireFormat wire) {
        this.registry = registry;
        this.runs = new RunLookup(registry);
        this.wire = wire;
        AtomicInteger n = new AtomicInteger();
        this.sender = Executors.newFixedThreadPool(SENDER_THREADS, r -> {
            Thread t = new Thread(r, "live-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Refuses the upgrade with a 404 when the run does not exist. */
    public void beforeUpgrade(Context ctx) {
        runs.require(ctx.pathParam("id"));
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::join);
        ws.onClose(ctx -> leave(ctx.sessionId()));
        ws.onError(ctx -> leave(ctx.sessionId()));
        ws.onMessage(ctx -> { });
    }

    /** How many viewers are connected, over all runs. */
    public int viewerCount() {
        return viewers.size();
    }

    private void join(WsConnectContext ctx) {
        Optional<Run> run = registry.get(ctx.pathParam("id"));
        if (run.isEmpty()) { // deleted between the upgrade and now
            ctx.closeSession(4404, "no such run");
            return;
        }
        ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
        LiveViewer viewer = new LiveViewer(ctx.session, wire, sender);
        viewers.put(ctx.sessionId(), new Viewing(run.get(), viewer));
        viewer.start(run.get().subscribe(viewer));
    }

    private void leave(String sessionId) {
        Viewing viewing = viewers.remove(sessionId);
        if (viewing != null) {
            viewing.run().unsubscribe(viewing.viewer());
            viewing.viewer().close();
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
