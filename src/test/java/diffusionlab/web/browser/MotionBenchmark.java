package diffusionlab.web.browser;

import com.microsoft.playwright.Page;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Frames per second and long tasks while a motion player (static/js/motion.js) plays 2,000 particles through
 * 101 states (with trails and both densities) on a dashboard whose run trains, the dashboard's own player playing
 * too. Prints the figures; asserts nothing (they depend on the machine). Run with
 * {@code mvn test -Dtest=MotionBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class MotionBenchmark extends BrowserTest {
    private static final String PLAY_2000 = """
            async () => {
              const { MotionPlayer } = await import('/static/js/motion.js');
              const host = document.createElement('section');
              host.className = 'card';
              document.getElementById('dashboard').prepend(host);
              const box = { cx: 0, cy: 0, half: 3.2 };
              const player = new MotionPlayer(host, { scoreModel: false, box });
              const n = 2000, states = [], ts = [];
              let x = new Float32Array(2 * n).map(() => Math.random() * 4 - 2);
              for (let j = 0; j <= 100; j++) {
                ts.push(100 - j);
                states.push(x);
                x = x.map((v, i) => 0.97 * v + (i % 2 ? 0.5 : Math.sign(v)) * 0.03 + 0.05 * (Math.random() - 0.5));
              }
              player.setData(states[100]);
              const alphaBars = Array.from({ length: 101 }, (_, t) => Math.exp(-t / 20));
              player.setPath({ signal: alphaBars.map(Math.sqrt), noise: alphaBars.map((a) => Math.sqrt(1 - a)) });
              player.setMotion({ trainingStep: 0, ts, states });
              const draw = player.draw.bind(player);
              let drawing = 0, draws = 0;
              player.draw = (step) => { const t0 = performance.now(); draw(step); drawing += performance.now() - t0; draws++; };
              player.play();
              await new Promise((r) => setTimeout(r, 500)); // warm up
              drawing = 0; draws = 0;
              const from = window.__longTasks.length;
              let frames = 0, worst = 0, last = performance.now();
              const start = last;
              await new Promise((done) => {
                const count = (now) => {
                  frames++; worst = Math.max(worst, now - last); last = now;
                  if (now - start < 3000) requestAnimationFrame(count); else done();
                };
                requestAnimationFrame(count);
              });
              const seconds = (performance.now() - start) / 1000;
              player.pause();
              host.remove();
              return { framesPerSecond: Math.round(10 * frames / seconds) / 10, worstFrameMs: Math.round(worst),
                       meanDrawMs: Math.round(10 * drawing / draws) / 10,
                       longTasks: window.__longTasks.slice(from) };
            }""";

    @Test
    void framesPerSecondWhilePlaying2000Particles() {
        String id = server.createRun(MotionBrowserTest.RUN);
        Page page = open(newContext(), "/runs/" + id);
        page.setViewportSize(1280, 800);
        page.waitForSelector(MotionBrowserTest.SLIDER + ":not([disabled])");
        page.click("#motion .motion-play");
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) page.evaluate(PLAY_2000);
        note("motion benchmark, 2,000 particles x 101 states with trails and densities, the run training and the"
                + " dashboard's own 300 particles playing, 3 s: " + training);
        server.post(server.owner, "/api/runs/" + id + "/pause", null);
        server.awaitState(id, WAIT, "paused");
        @SuppressWarnings("unchecked")
        Map<String, Object> paused = (Map<String, Object>) page.evaluate(PLAY_2000);
        note("motion benchmark, the same with the run paused (the cores to the browser): " + paused);
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
        assertNoConsoleErrors();
    }
}
