package diffusionlab.web.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders a page record with its JTE template (precompiled into the jar; every output HTML-escaped). Each
 * template takes the record as {@code page} and the {@link StaticAssets} as {@code assets}.
 */
public final class PageRenderer {
    private final TemplateEngine engine;
    private final StaticAssets assets;

    public PageRenderer(TemplateEngine engine, StaticAssets assets) {
        this.engine = engine;
        this.assets = assets;
    }

    /** The templates compiled by jte-maven-plugin from {@code templates/}. */
    public static PageRenderer precompiled(StaticAssets assets) {
        return new PageRenderer(TemplateEngine.createPrecompiled(ContentType.Html), assets);
    }

    public void render(Context ctx, String template, Object page) {
        StringOutput output = new StringOutput();
        engine.render(template, Map.of("page", page, "assets", assets), output);
        ctx.html(output.toString());
    }
}
