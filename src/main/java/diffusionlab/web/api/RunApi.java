package diffusionlab.web.api;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.CostLimits;
import diffusionlab.training.Presets;
import diffusionlab.training.Run;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.UserText;
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.JsonBody;
import diffusionlab.web.security.ClientRuns;
import diffusionlab.web.security.OwnerCookie;
import diffusionlab.web.security.RunCreationLimit;
import diffusionlab.web.security.RunPermissions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/runs}: start a run (if its cost fits, rate-limited and within the client's share), list them, read
 * one, delete one (owner or admin).
 */
public final class RunApi {
    private static final Logger LOG = LoggerFactory.getLogger(RunApi.class);

    private final RunRegistry registry;
    private final RunLookup runs;
    private final OwnerCookie owner;
    private final RunPermissions permissions;
    private final RunCreationLimit limit;
    private final ClientRuns clientRuns;
    private final CostLimits costs;
    private final JsonBody body;
    private final int maxActiveRuns;

    public RunApi(RunRegistry registry, OwnerCookie owner, RunPermissions permissions, RunCreationLimit limit,
                  ClientRuns clientRuns, CostLimits costs, JsonBody body, int maxActiveRuns) {
        this.registry = registry;
        this.runs = new RunLookup(registry);
        this.owner = owner;
        this.permissions = permissions;
        this.limit = limit;
        this.clientRuns = clientRuns;
        this.costs = costs;
        this.body = body;
        this.maxActiveRuns = maxActiveRuns;
    }

    /**
     * {@code POST /api/runs}: 201 with the run, and the owner cookie; 400 naming the field at fault or too costly
     * for this server; 429 when the server is full, this client has started too many runs lately or holds its
     * share of active runs.
     */
    public void create(Context ctx) {
        requireRoom(ctx, 1);
        Map<String, Object> fields = body.readObject(ctx, ConfigParser.FIELDS);
        RunConfig config = ConfigParser.parse(fields);
        Run run = start(ctx, List.of(config)).get(0);
        LOG.info("run {} started: '{}', {}", run.id(), UserText.forLog(config.name()), RunJson.describe(config.experiment()));
        ctx.status(201).header("Location", RunJson.url(run)).json(RunJson.details(run, true));
    }

    /**
     * {@code POST /api/runs/{id}/reflow}: "Reflow: straighten this flow". Starts a run with the finished
     * flow_matching run's config that trains on its (noise, sample) pairs ({@code reflowFrom}); 201 with the new run;
     * 400 naming {@code reflowFrom} when the run is no finished flow; 429 as {@link #create}. Anyone who may watch
     * the run may reflow it: the new run is theirs.
     */
    public void reflow(Context ctx) {
        requireRoom(ctx, 1);
        Run parent = runs.require(ctx.pathParam("id"));
        RunConfig p = parent.config();
        String name = "Reflow of " + p.name();
        RunConfig config = new RunConfig(name.length() > RunConfig.MAX_NAME ? name.substring(0, RunConfig.MAX_NAME - 1)
                + "…" : name, Presets.REFLOW, p.experiment(), p.sampling(), parent.id());
        Run run = start(ctx, List.of(config)).get(0);
        LOG.info("run {} started: a reflow of {}", run.id(), parent.id());
        ctx.status(201).header("Location", RunJson.url(run)).json(RunJson.details(run, true));
    }

    public void list(Context ctx) {
        ctx.json(registry.list().stream().map(RunJson::summary).toList());
    }

    public void get(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        ctx.json(RunJson.details(run, permissions.mayControl(ctx, run)));
    }

    /** {@code DELETE /api/runs/{id}}: stops and forgets the run; 204. */
    public void delete(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        permissions.requireControl(ctx, run);
        registry.delete(run.id());
        LOG.info("run {} deleted", run.id());
        ctx.status(204);
    }

    /**
     * A client that may not start {@code runs} runs now gets its 403 (closed by the teacher) or 429 before its body
     * is read and parsed.
     */
    void requireRoom(Context ctx, int runs) {
        clientRuns.requireOpen(ctx);
        limit.requireRoom(ctx, runs);
    }

    /**
     * Starts runs for this client, all or none: 400 unless each one's cost fits ({@link CostLimits}); 429 unless
     * they fit under the server's limit of queued, running and paused runs, the client's rate and its share.
     */
    List<Run> start(Context ctx, List<RunConfig> given) {
        List<RunConfig> configs = given.stream().map(registry::reflowConfig).toList(); // a reflow on its parent's data
        configs.forEach(costs::requireRun);
        long active = registry.list().stream().filter(r -> r.state().isActive()).count();
        if (active + configs.size() > maxActiveRuns) {
            throw HttpProblem.tooManyRequests("there are already " + active + " runs training or waiting (at most "
                    + maxActiveRuns + "); stop one or wait for one to finish", ClientRuns.RETRY_AFTER_SECONDS);
        }
        return clientRuns.start(ctx, configs.size(), () -> {
            limit.take(ctx, configs.size());
            String ownerHash = owner.ownerHash(ctx);
            return configs.stream().map(c -> registry.create(c, ownerHash)).toList();
        });
    }
}
