package diffusionlab.web.api;

import diffusionlab.training.PictureDrawer;
import diffusionlab.training.Presets;
import diffusionlab.training.RunConfig;
import diffusionlab.web.lesson.LessonSection;
import diffusionlab.web.wire.WireFormat;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/lesson/{section}/preview}: what a lesson section's live view shows before any run of its preset
 * exists: a snapshot of no run (docs/PROTOCOL.md) with the preset's config, its forward path, its data and, for
 * a diffusion or flow model, q(x_t) at the frame steps ({@link PictureDrawer#beforeTraining}). It needs no model,
 * so a teacher's first look at the lesson already moves. Its size is fixed (about 60 KB at most), and it is
 * computed once per section.
 */
public final class LessonApi {
    private final WireFormat wire;
    private final Map<LessonSection, String> previews = new ConcurrentHashMap<>();

    public LessonApi(WireFormat wire) {
        this.wire = wire;
    }

    public void preview(Context ctx) {
        LessonSection section = LessonSection.require(ctx.pathParam("section"));
        ctx.contentType("application/json").result(previews.computeIfAbsent(section, this::encode));
    }

    private String encode(LessonSection section) {
        Presets.Preset p = section.preset();
        RunConfig config = new RunConfig(p.label(), p.id(), p.experiment(), p.sampling());
        return wire.encode(WireFormat.beforeTraining(config,
                PictureDrawer.beforeTraining(p.experiment())));
    }
}
