package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

/** "Try the sampler" offers the samplers the model can use: DPM-Solver++ for a diffusion model, Euler and Heun for a flow. */
class SamplerPanelBrowserTest extends BrowserTest {
    private static final String RUN = """
            {"name": "%s", "objective": "%s", "dataset": "moons", "datasetSize": 500, "timesteps": 20, "hidden": 16,
             "layers": 2, "steps": 300, "batchSize": 64}""";

    @Test
    void aDiffusionModelSamplesWithDpmSolverAndAFlowWithHeun() {
        String diffusion = server.createRun(RUN.formatted("diffusion", "ddpm_simple"));
        String flow = server.createRun(RUN.formatted("flow", "flow_matching"));
        server.awaitState(diffusion, WAIT, "done");
        server.awaitState(flow, WAIT, "done");

        Page page = open(newContext(DESKTOP), "/runs/" + diffusion);
        page.check("#sampler-form input[value=dpm_solver_2m]");
        page.click("#sampler-form button[type=submit]");
        assertThat(page.locator("#sampler-caption")).containsText("by dpm_solver_2m (S = 10 steps)");

        Page flowPage = open(newContext(DESKTOP), "/runs/" + flow);
        assertEquals(0, flowPage.locator("#sampler-form input[value=ancestral]").count(), "a flow has no ancestral chain");
        flowPage.check("#sampler-form input[value=heun]");
        flowPage.click("#sampler-form button[type=submit]");
        assertThat(flowPage.locator("#sampler-caption")).containsText("by heun (N = 10 steps)");
        MotionBrowserTest.section(flowPage, "#sampler-panel", "sampler-panel-flow-desktop");
        assertNoConsoleErrors();
    }
}
