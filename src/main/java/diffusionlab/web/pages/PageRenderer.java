package diffusionlab.web.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** Renders a page record with its JTE template (precompiled into the jar; every output HTML-escaped). */
public final class PageRenderer {
    private final TemplateEngine engine;

    public PageRenderer(TemplateEngine engine) {
        this.engine = engine;
    }

    /** The templates compiled by jte-maven-plugin from {@code templates/}. */
    public static PageRenderer precompiled() {
        return new PageRenderer(TemplateEngine.createPrecompiled(ContentType.Html));
    }

    public void render(Context ctx, String template, Object page) {
        StringOutput output = new StringOutput();
        engine.render(template, page, output);
        ctx.html(output.toString());
    }
}
