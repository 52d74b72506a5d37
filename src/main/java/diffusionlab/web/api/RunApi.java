package diffusionlab.web.api;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.Run;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.UserText;
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.JsonBody;
import diffusionlab.web.security.OwnerCookie;
import diffusionlab.web.security.RunCreationLimit;
import diffusionlab.web.security.RunPermissions;
import io.javalin.http.Context;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/runs}: start a run (rate-limited per client), list them, read one, delete one (owner or admin). */
public final class RunApi {
    private static final Logger LOG = LoggerFactory.getLogger(RunApi.class);

    private final RunRegistry registry;
    private final RunLookup runs;
    private final OwnerCookie owner;
    private final RunPermissions permissions;
    private final RunCreationLimit limit;
    private final JsonBody body;
    private final int maxActiveRuns;

    public RunApi(RunRegistry registry, OwnerCookie owner, RunPermissions permissions, RunCreationLimit limit,
                  JsonBody body, int maxActiveRuns) {
        this.registry = registry;
        this.runs = new RunLookup(registry);
        this.owner = owner;
        this.permissions = permissions;
        this.limit = limit;
        this.body = body;
        this.maxActiveRuns = maxActiveRuns;
    }

    /**
     * {@code POST /api/runs}: 201 with the run, and the owner cookie; 400 naming the field at fault; 429 when
     * the server is full or this client has started too many runs lately.
     */
    public void create(Context ctx) {
        Map<String, Object> fields = body.readObject(ctx, ConfigParser.FIELDS);
        RunConfig config = ConfigParser.parse(fields);
        requireRoomFor(1);
        limit.take(ctx, 1);
        Run run = registry.create(config, owner.ownerHash(ctx));
        LOG.info("run {} started: '{}', {}", run.id(), UserText.forLog(config.name()), RunJson.describe(config.experiment()));
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

    /** 429 unless {@code count} more runs fit under the limit of queued, running and paused runs. */
    void requireRoomFor(int count) {
        long active = registry.list().stream().filter(r -> r.state().isActive()).count();
        if (active + count > maxActiveRuns) {
            throw HttpProblem.tooManyRequests("there are already " + active + " runs training or waiting (at most "
                    + maxActiveRuns + "); stop one or wait for one to finish");
        }
    }
}
