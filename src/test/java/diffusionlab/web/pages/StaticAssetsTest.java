package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StaticAssetsTest {
    private static Map<String, byte[]> files(String... nameThenContent) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    @Test
    void thePrefixNamesTheContentOfEveryFile() {
        StaticAssets one = new StaticAssets(files("js/a.js", "export const a = 1;", "css/app.css", "body {}"));
        StaticAssets same = new StaticAssets(files("css/app.css", "body {}", "js/a.js", "export const a = 1;"));
        StaticAssets edited = new StaticAssets(files("js/a.js", "export const a = 2;", "css/app.css", "body {}"));
        StaticAssets renamed = new StaticAssets(files("js/b.js", "export const a = 1;", "css/app.css", "body {}"));

        assertTrue(one.prefix().matches("/static/[0-9a-f]{12}"), one.prefix());
        assertEquals(one.prefix(), same.prefix());
        assertNotEquals(one.prefix(), edited.prefix());
        assertNotEquals(one.prefix(), renamed.prefix());
        assertEquals(one.prefix() + "/css/app.css", one.url("css/app.css"));
    }

    @Test
    void preloadsFollowImportsThroughEveryLevelOnceEachAndSurviveACycle() {
        StaticAssets assets = new StaticAssets(files(
                "js/page.js", "import { a } from './a.js';\nimport {\n  b,\n  c\n} from './b.js';\nconst x = 'from ./no.js';\n",
                "js/a.js", "import { shared } from './shared.js';\nexport const a = 1;",
                "js/b.js", "import { shared } from './shared.js';\nimport { page } from './page.js';\nexport const b = 2;",
                "js/shared.js", "export const shared = 0;",
                "js/unused.js", "export const u = 0;"));

        List<String> preloads = assets.preloads("js/page.js");

        assertEquals(List.of("a.js", "shared.js", "b.js").stream().map(f -> assets.url("js/" + f)).toList(), preloads);
        assertEquals(List.of(), assets.preloads("js/shared.js"));
        assertEquals(List.of(), assets.preloads("js/missing.js"));
    }

    @Test
    void theAppsOwnFilesAreFoundOnTheClassPath() {
        StaticAssets assets = StaticAssets.fromClasspath();

        assertTrue(assets.preloads("js/dashboard.js").contains(assets.url("js/point-cloud.js")));
        assertTrue(assets.preloads("js/form.js").contains(assets.url("js/runs-list.js")));
        for (String page : new String[] {"js/dashboard.js", "js/compare.js"}) {
            assertTrue(assets.preloads(page).contains(assets.url("js/run-state.js")), page);
            assertTrue(assets.preloads(page).contains(assets.url("js/wire.js")), page + " (through run-state.js)");
        }
    }
}
