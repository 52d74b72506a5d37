package diffusionlab.web.api;

import diffusionlab.training.PictureKind;
import diffusionlab.training.Run;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.RunStatus;
import diffusionlab.web.classroom.ClassChannel;
import diffusionlab.web.classroom.ClassSettings;
import diffusionlab.web.classroom.Presentation;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.JsonBody;
import diffusionlab.web.security.OwnerLabel;
import diffusionlab.web.security.RunPermissions;
import diffusionlab.web.wire.CloudCodec;
import diffusionlab.web.wire.PackedCloud;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/class}: the teacher's class. Anyone may read what the teacher presents and whether students may start
 * runs ({@code GET}); only the teacher presents ({@code POST /present} with a {@link Presentation}, {@code DELETE
 * /present} to end the class), lists every run with its owner ({@code GET /runs}), pauses, resumes or stops them all
 * ({@code POST /pause-all | resume-all | stop-all}, answering how many changed) and sets the class's
 * {@link ClassSettings} ({@code POST /settings}). Anyone else gets a 403 and nothing changes.
 */
public final class ClassApi {
    private static final Logger LOG = LoggerFactory.getLogger(ClassApi.class);
    /** A presentation or the settings: a few hundred bytes. */
    static final int MAX_BODY_BYTES = 2_000;
    /** Points in a run's thumbnail on the class view. */
    static final int THUMBNAIL_POINTS = 300;
    static final Set<String> SETTINGS_FIELDS = Set.of("studentsMayStart", "activeRunsPerClient");

    private final RunRegistry registry;
    private final RunPermissions permissions;
    private final ClassChannel channel;
    private final ClassSettings settings;
    private final JsonBody body;

    /** {@code GET /api/class}. */
    record State(ClassChannel.Message presentation, ClassSettings.View settings) {
    }

    /** The answer to a bulk action: how many runs it changed, of how many. */
    record Bulk(String action, int changed, int runs) {
    }

    /**
     * One run on the class view. {@code picture} is a thumbnail of its newest samples, or of its data before it
     * has any ({@code pictureOf} says which), or null before either.
     */
    record ClassRun(String id, String name, String url, String objective, String dataset, String state,
                    boolean terminal, long step, long totalSteps, Double quality, String owner, PackedCloud picture,
                    String pictureOf) {
    }

    public ClassApi(RunRegistry registry, RunPermissions permissions, ClassChannel channel, ClassSettings settings,
                    JsonBody body) {
        this.registry = registry;
        this.permissions = permissions;
        this.channel = channel;
        this.settings = settings;
        this.body = body;
    }

    public void get(Context ctx) {
        ctx.json(new State(channel.state(), settings.view()));
    }

    public void present(Context ctx) {
        permissions.requireTeacher(ctx, "present to the class");
        Presentation presentation = Presentation.parse(body.readObject(ctx, Presentation.FIELDS, MAX_BODY_BYTES));
        ctx.json(channel.present(presentation));
    }

    public void endPresenting(Context ctx) {
        permissions.requireTeacher(ctx, "end the class");
        if (!channel.presenting()) {
            throw HttpProblem.conflict("you are not presenting");
        }
        LOG.info("the teacher stopped presenting");
        ctx.json(channel.end());
    }

    public void runs(Context ctx) {
        permissions.requireTeacher(ctx, "see the class's runs and who started them");
        ctx.json(registry.list().stream().map(run -> classRun(ctx, run)).toList());
    }

    public void pauseAll(Context ctx) {
        bulk(ctx, "pause", Run::pause);
    }

    public void resumeAll(Context ctx) {
        bulk(ctx, "resume", Run::resume);
    }

    public void stopAll(Context ctx) {
        bulk(ctx, "stop", Run::stop);
    }

    public void updateSettings(Context ctx) {
        permissions.requireTeacher(ctx, "change what students may do");
        Map<String, Object> fields = body.readObject(ctx, SETTINGS_FIELDS, MAX_BODY_BYTES);
        ClassSettings.View old = settings.view();
        boolean open = old.studentsMayStart();
        if (fields.containsKey("studentsMayStart")) {
            if (!(fields.get("studentsMayStart") instanceof Boolean b)) {
                throw HttpProblem.badRequest("studentsMayStart: true or false", "studentsMayStart");
            }
            open = b;
        }
        Integer cap = old.activeRunsPerClient();
        if (fields.containsKey("activeRunsPerClient")) {
            Object value = fields.get("activeRunsPerClient");
            if (value != null && !(value instanceof Integer i && i >= 1 && i <= ClassSettings.MAX_CAP)) {
                throw HttpProblem.badRequest("activeRunsPerClient: a whole number in [1, " + ClassSettings.MAX_CAP
                        + "], or null for the server's own share", "activeRunsPerClient");
            }
            cap = (Integer) value;
        }
        ClassSettings.View next = new ClassSettings.View(open, cap);
        settings.set(next);
        LOG.info("class settings: {}", next);
        ctx.json(next);
    }

    /** Applies the action to every run it applies to; the others are left as they are and not counted. */
    private void bulk(Context ctx, String action, Predicate<Run> apply) {
        permissions.requireTeacher(ctx, action + " every run");
        List<Run> runs = registry.list();
        int changed = (int) runs.stream().filter(apply).count();
        LOG.info("the teacher's {} all: {} of {} runs", action, changed, runs.size());
        ctx.json(new Bulk(action, changed, runs.size()));
    }

    private ClassRun classRun(Context ctx, Run run) {
        RunStatus s = run.status();
        RunHistory h = run.history();
        int nm = h.metricSteps().length;
        Double quality = nm > 0 && Double.isFinite(h.metricValues()[nm - 1]) ? h.metricValues()[nm - 1] : null;
        String owner = permissions.owns(ctx, run) ? "you" : OwnerLabel.of(run.ownerHash());
        PictureKind kind = h.picture(PictureKind.SAMPLES) != null ? PictureKind.SAMPLES
                : h.data() != null ? PictureKind.DATA : null;
        return new ClassRun(run.id(), s.name(), RunJson.url(run), s.objective(),
                run.config().experiment().dataset().id(), s.state().id(), s.state().isTerminal(), s.step(),
                s.totalSteps(), quality, owner, kind == null ? null : thumbnail(h, kind),
                kind == null ? null : kind.name().toLowerCase(Locale.ROOT));
    }

    /** The first {@link #THUMBNAIL_POINTS} of the run's samples or data (both drawn in random order). */
    static PackedCloud thumbnail(RunHistory h, PictureKind kind) {
        float[] cloud = kind == PictureKind.SAMPLES ? h.picture(kind, RunEvent.Samples.class).cloud() : h.data();
        float[] few = new float[Math.min(cloud.length, 2 * THUMBNAIL_POINTS)];
        System.arraycopy(cloud, 0, few, 0, few.length);
        return CloudCodec.pack(few);
    }
}
