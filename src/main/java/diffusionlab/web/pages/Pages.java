package diffusionlab.web.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.training.Presets;
import diffusionlab.training.Run;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.RunState;
import diffusionlab.web.RunLookup;
import diffusionlab.web.classroom.ClassChannel;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.lesson.LessonSection;
import diffusionlab.web.security.RunPermissions;
import diffusionlab.web.security.TeacherCookie;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pages: {@code /} (new run and the runs), {@code /runs/{id}} (the dashboard, or with {@code ?view=projector}
 * its projector layout), {@code /compare}, {@code /teacher} (sign in with the teacher key), {@code /class} (the
 * teacher's class view), {@code /class/follow} (the class link: follow the teacher), and the lesson,
 * {@code /lesson} and {@code /lesson/{section}}.
 */
public final class Pages {
    private static final String DEFAULT_PRESET = "default";

    private final RunRegistry registry;
    private final RunLookup runs;
    private final PageRenderer renderer;
    private final RunPermissions permissions;
    private final TeacherCookie teacher;
    private final ClassChannel classChannel;
    private final ObjectMapper mapper;

    public Pages(RunRegistry registry, PageRenderer renderer, RunPermissions permissions, TeacherCookie teacher,
                 ClassChannel classChannel, ObjectMapper mapper) {
        this.registry = registry;
        this.runs = new RunLookup(registry);
        this.renderer = renderer;
        this.permissions = permissions;
        this.teacher = teacher;
        this.classChannel = classChannel;
        this.mapper = mapper;
    }

    /** {@code /class}: the teacher's view of every run; a 403 page for anyone else. */
    public void classView(Context ctx) {
        permissions.requireTeacher(ctx, "open the class view");
        renderer.render(ctx, "class.jte", new ClassPage(classChannel.presenting()));
    }

    /** {@code /class/follow}: the link students open to follow the teacher. */
    public void follow(Context ctx) {
        ClassChannel.Message state = classChannel.state();
        renderer.render(ctx, "follow.jte", new FollowPage(state.presenting(), state.ended()));
    }

    public void teacher(Context ctx) {
        renderer.render(ctx, "teacher.jte", new TeacherPage(teacher.enabled(), teacher.signedIn(ctx)));
    }

    public void home(Context ctx) {
        Presets.Preset preset = Presets.get(DEFAULT_PRESET);
        Map<String, Object> defaults = ConfigJson.of(new RunConfig(preset.label(), preset.id(), preset.experiment(),
                preset.sampling()));
        defaults.put("name", "");
        List<PresetOption> presets = Presets.all().values().stream()
                .map(p -> new PresetOption(p.id(), p.label(), p.description(), presetJson(p), p.needsParent()))
                .toList();
        List<RunRow> rows = registry.list().stream().map(RunRow::of).toList();
        List<Choice> flows = registry.list().stream() // newest first
                .filter(r -> r.config().experiment().objective().isFlowModel() && r.state() == RunState.DONE)
                .map(r -> new Choice(r.id(), r.config().name() + " (" + r.id() + ")", false))
                .toList();
        renderer.render(ctx, "index.jte", new HomePage(presets, DEFAULT_PRESET, NewRunForm.groups(defaults, flows), rows,
                List.of(Presets.LOSS_VARIANTS), permissions.isTeacher(ctx)));
    }

    public void run(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        RunConfig config = run.config();
        List<RunPage.ConfigLine> lines = ConfigJson.withoutPoints(config).entrySet().stream()
                .map(e -> new RunPage.ConfigLine(e.getKey(), String.valueOf(e.getValue())))
                .toList();
        boolean mayControl = permissions.mayControl(ctx, run);
        boolean projector = RunPage.PROJECTOR.equals(ctx.queryParam("view"));
        renderer.render(ctx, "run.jte", new RunPage(run.id(), config.name(), config.experiment().objective().id(),
                config.experiment().dataset().id(), run.state().id(), mayControl,
                mayControl && !permissions.owns(ctx, run), projector,
                config.experiment().objective().isScoreModel(), config.experiment().timesteps(),
                config.sampling().sampleSteps(), config.sampling().ema(), lines, run.createdAtMillis(),
                run.finishedAtMillis(), System.currentTimeMillis(), run.qualityFloor(),
                config.experiment().objective().isFlowModel(), link(config.reflowFrom()),
                registry.children(run.id()).stream().map(c -> new RunPage.RunLink(c.id(), c.config().name())).toList()));
    }

    /** The run with this id as a link (its name, or the id alone when it is gone), or null for none. */
    private RunPage.RunLink link(String id) {
        if (id == null) {
            return null;
        }
        return new RunPage.RunLink(id, registry.get(id).map(r -> r.config().name()).orElse(id + " (deleted)"));
    }

    public void compare(Context ctx) {
        String param = ctx.queryParam("runs");
        List<String> ids = param == null ? List.of() : Arrays.stream(param.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (ids.isEmpty() || ids.size() > ComparePage.MAX_RUNS) {
            throw HttpProblem.badRequest("name 1 to " + ComparePage.MAX_RUNS + " runs, e.g. /compare?runs=a,b,c", "runs");
        }
        List<Run> compared = ids.stream().map(runs::require).toList();
        List<ComparePage.Column> columns = compared.stream().map(Pages::column).toList();
        Map<String, ComparePage.Floor> floors = new LinkedHashMap<>();
        for (Run run : compared) { // runs on the same data share a floor (Run.qualityFloor is computed once)
            String dataset = run.config().experiment().dataset().id();
            floors.computeIfAbsent(dataset, d -> new ComparePage.Floor(d, run.qualityFloor()));
        }
        renderer.render(ctx, "compare.jte", new ComparePage(columns, List.copyOf(floors.values()),
                System.currentTimeMillis()));
    }

    private static ComparePage.Column column(Run run) {
        ExperimentConfig ex = run.config().experiment();
        ObjectiveKind objective = ex.objective();
        String label = objective == ObjectiveKind.DDPM_SIMPLE && ex.prediction() != Prediction.EPSILON
                ? objective.id() + " (" + ex.prediction().id() + ")"
                : run.config().reflowFrom() != null ? objective.id() + " (reflow)" : objective.id();
        return new ComparePage.Column(run.id(), run.config().name(), objective.id(), label, ex.dataset().id(),
                objective.isScoreModel(), ObjectiveNotes.why(objective), run.createdAtMillis());
    }

    public void lessonIndex(Context ctx) {
        renderer.render(ctx, "lesson-index.jte", new LessonIndexPage(List.of(LessonSection.values())));
    }

    /**
     * A section of the lesson with the run its live view shows: {@code ?run=} names one (404 if there is none),
     * else the newest run of the section's preset that has something to show, else none. A section that does not
     * exist is a 404 naming the sections that do.
     */
    public void lesson(Context ctx) {
        LessonSection section = LessonSection.require(ctx.pathParam("section"));
        String chosen = ctx.queryParam("run");
        Run run = chosen != null ? runs.require(chosen) : registry.list().stream()
                .filter(r -> Objects.equals(r.config().preset(), section.preset().id()) && hasSomethingToShow(r))
                .findFirst().orElse(null);
        Presets.Preset preset = section.preset();
        Map<String, Object> values = ConfigJson.of(new RunConfig(preset.label(), preset.id(), preset.experiment(),
                preset.sampling()));
        if (section.knobValue() != null) {
            values.put(section.knob(), section.knobValue());
        }
        FormField knob = NewRunForm.field(section.knob(), values).orElseThrow(() -> new IllegalStateException(
                "the knob of lesson section " + section.id() + " is not a field of the form: " + section.knob()));
        LessonPage.ShownRun shown = run == null ? null : new LessonPage.ShownRun(run.id(), run.config().name(),
                run.config().experiment().objective().id(), run.config().experiment().objective().isScoreModel());
        renderer.render(ctx, "lesson.jte", new LessonPage(section, List.of(LessonSection.values()), shown,
                chosen != null, knob));
    }

    /**
     * Whether a run is worth a lesson's live view: training or waiting to, finished, or stopped after it trained;
     * not one that failed, diverged or was stopped before its first step.
     */
    private static boolean hasSomethingToShow(Run run) {
        RunState state = run.state();
        return state.isActive() || state == RunState.DONE || (state == RunState.STOPPED && run.status().step() > 0);
    }

    private String presetJson(Presets.Preset p) {
        Map<String, Object> json = ConfigJson.of(new RunConfig(p.label(), p.id(), p.experiment(), p.sampling()));
        json.remove("name");
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a preset always serialises", e);
        }
    }
}
