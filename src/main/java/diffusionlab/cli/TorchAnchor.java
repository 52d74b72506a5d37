package diffusionlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --vs-torch seed_torch.py}: runs the notebook's PyTorch code (one thread, its fastest
 * setting here) right after our figures, on the same machine, and prints the ratios; the flow-matching step is
 * timed by {@code flow_torch.py} beside it (the same MLP trained with flow matching).
 */
final class TorchAnchor {
    private TorchAnchor() {
    }

    static void compare(String script, Map<String, Double> ours) {
        JsonNode r = run(List.of("/usr/bin/python3", script, "bench", "--threads", "1", "--gate", "0",
                "--steps", "2000", "--steps-a", "100", "--chain-reps", "3"));
        if (r == null) {
            return;
        }
        System.out.println("setting                        engine      PyTorch     ratio");
        row("ddpm_simple + EMA, batch 128", ours.get("ddpm_simple@128"),
                r.path("C_ddpm_ema_batch128").path("steps_per_s_median").asDouble(), "steps/s", false);
        row("vlb_sohl, batch 128", ours.get("vlb_sohl@128"),
                r.path("B_vb_batch128").path("steps_per_s_median").asDouble(), "steps/s", false);
        row("dsm, full batch 10,000", ours.get("dsm@10000"),
                r.path("A_dsm_fullbatch10k").path("steps_per_s_median").asDouble(), "steps/s", false);
        row("reverse chain 100 x 10,000", ours.get("chain"),
                r.path("C_chain100_10k_no_grad").path("median_s").asDouble(), "s", true);
        JsonNode flow = run(List.of("/usr/bin/python3",
                java.nio.file.Path.of(script).resolveSibling("flow_torch.py").toString(), "--bench-steps", "400"));
        if (flow != null) {
            row("flow_matching + EMA, batch 128", ours.get("flow_matching@128"),
                    flow.path("flow_batch128").path("steps_per_s_median").asDouble(), "steps/s", false);
        }
    }

    /** The JSON a reference script prints, or null (said on the output) when it cannot run. */
    private static JsonNode run(List<String> command) {
        System.out.println("# running " + String.join(" ", command));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                System.out.println("# the PyTorch bench failed (is python3-torch installed?)");
                return null;
            }
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            System.out.println("# could not run the PyTorch bench: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void row(String what, Double ours, double theirs, String unit, boolean lowerIsBetter) {
        if (ours == null || theirs <= 0) {
            return;
        }
        double ratio = lowerIsBetter ? theirs / ours : ours / theirs;
        System.out.printf(Locale.ROOT, "%-30s %8.3g %-3s %8.3g %-3s %5.2fx%s%n", what, ours, unit.equals("s") ? "s" : "",
                theirs, unit.equals("s") ? "s" : "", ratio, lowerIsBetter ? " faster" : "");
    }
}
