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
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.security.RunPermissions;
import diffusionlab.web.security.TeacherCookie;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages: {@code /} (new run and the runs), {@code /runs/{id}} (the dashboard), {@code /compare} and
 * {@code /teacher} (sign in with the teacher key).
 */
public final class Pages {
    private static final String DEFAULT_PRESET = "default";

    private final RunRegistry registry;
    private final RunLookup runs;
    private final PageRenderer renderer;
    private final RunPermissions permissions;
    private final TeacherCookie teacher;
    private final ObjectMapper mapper;

    public Pages(RunRegistry registry, PageRenderer renderer, RunPermissions permissions, TeacherCookie teacher,
                 ObjectMapper mapper) {
        this.registry = registry;
        this.runs = new RunLookup(registry);
        this.renderer = renderer;
        this.permissions = permissions;
        this.teacher = teacher;
        this.mapper = mapper;
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
                .map(p -> new PresetOption(p.id(), p.label(), p.description(), presetJson(p)))
                .toList();
        List<RunRow> rows = registry.list().stream().map(RunRow::of).toList();
        renderer.render(ctx, "index.jte", new HomePage(presets, DEFAULT_PRESET, NewRunForm.groups(defaults), rows,
                List.of(Presets.LOSS_VARIANTS)));
    }

    public void run(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        RunConfig config = run.config();
        List<RunPage.ConfigLine> lines = ConfigJson.withoutPoints(config).entrySet().stream()
                .map(e -> new RunPage.ConfigLine(e.getKey(), String.valueOf(e.getValue())))
                .toList();
        renderer.render(ctx, "run.jte", new RunPage(run.id(), config.name(), config.experiment().objective().id(),
                config.experiment().dataset().id(), run.state().id(), permissions.mayControl(ctx, run),
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
