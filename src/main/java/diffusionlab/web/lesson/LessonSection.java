package diffusionlab.web.lesson;

import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.training.ConfigFields;
import diffusionlab.training.Presets;
import diffusionlab.web.errors.HttpProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The lesson at {@code /lesson/{id}}: the notebook as a guided walk, in its order. Each section has its formula
 * (TeX, typeset in the browser by KaTeX), a few paragraphs (inline formulas between dollar signs, see
 * {@link Prose}), the preset whose run its live view shows, the view, one config field worth turning and a
 * question. The words follow docs/MATH.md; the dashboard's captions link here ({@link #forObjective}).
 */
public enum LessonSection {
    DATA("data", "The data and the goal",
            "x_0^{(1)}, \\dots, x_0^{(N)} \\sim q(x_0) \\qquad\\Longrightarrow\\qquad "
                    + "\\text{draw new } x \\sim p_\\theta(x) \\approx q(x)",
            List.of("Everything in this lab happens in two dimensions, so that a whole distribution can be seen at "
                            + "once. The data are $N$ points $x_0^{(i)} \\in \\mathbb{R}^2$, drawn once from a "
                            + "distribution $q(x_0)$ that nobody writes down: the notebook's swiss roll (sklearn's "
                            + "roll, its columns x and z divided by 10), moons, circles, eight Gaussians, a "
                            + "checkerboard, a spiral, or points you draw yourself.",
                    "The goal is a generative model: a way to draw new points $x \\sim p_\\theta$ that look as if "
                            + "they came from $q$. Diffusion models get there by learning to undo noise: a fixed "
                            + "process destroys the data step by step with Gaussian noise, and a network learns "
                            + "the way back, from pure noise to data.",
                    "How good is a model? The app compares 2,000 of its samples with held-out data by the sliced "
                            + "Wasserstein distance: project both clouds on random directions and compare the "
                            + "sorted projections. Two fresh draws of the data set are not at distance 0 either; "
                            + "their distance is what a perfect model would score."),
            "default", LiveView.SAMPLES, "dataset", null,
            "The spiral's thin arms and the checkerboard's sharp corners are harder than eight separate Gaussians, "
                    + "whose modes a model must not merge.",
            "Two fresh draws of the data set are already some distance apart. Why can no model do better, and "
                    + "what would a model that memorised the N training points score against held-out data?"),

    SCORE("score", "The score and score matching",
            "s_\\theta(x) \\approx \\nabla_x \\log q(x), \\qquad J(\\theta) = \\mathbb{E}_{q(x)}\\Big[ "
                    + "\\operatorname{tr}\\big(\\nabla_x s_\\theta(x)\\big) + \\tfrac12 \\|s_\\theta(x)\\|^2 \\Big]",
            List.of("A density $q(x)$ must integrate to one, and that normalising constant is what makes it hard "
                            + "to learn. Its score, the gradient $\\nabla_x \\log q(x)$, does not care: the "
                            + "constant disappears in the gradient. The score is a vector field that points, at "
                            + "every $x$, in the direction in which the data become more likely.",
                    "We do not know the true score, so we cannot regress on it. Hyvärinen (2005) showed that "
                            + "$\\tfrac12\\,\\mathbb{E}\\|s_\\theta(x) - \\nabla_x \\log q(x)\\|^2$ equals the "
                            + "objective $J(\\theta)$ above up to a constant that does not depend on $\\theta$: "
                            + "integrate by parts and the unknown score is gone; only samples of $q$ are needed.",
                    "The price is the trace of the Jacobian $\\nabla_x s_\\theta$: one backward pass per "
                            + "dimension. Cheap in 2D, ruinous for an image of a million pixels. The next sections "
                            + "give two ways around it, sliced and denoising score matching; the field drawn here "
                            + "was learned by the second, with arrows coloured by their length."),
            "dsm", LiveView.FIELD, "hidden", null,
            "A narrow network learns a smooth, crude field; a wider one can follow the arms of the spiral.",
            "Near the data the arrows point towards it. What should the score be far from every training point, "
                    + "where q(x) is almost zero, and how much can training have taught the model there?"),

    LANGEVIN("langevin", "Langevin dynamics",
            "x_{k+1} = x_k + \\frac{\\epsilon_k}{2}\\, s_\\theta(x_k) + \\sqrt{\\epsilon_k}\\;\\tau\\, z_k, "
                    + "\\qquad z_k \\sim \\mathcal{N}(0, I), \\qquad \\epsilon_{k+1} = d\\,\\epsilon_k",
            List.of("With a score we can sample. Langevin dynamics takes a step of size $\\epsilon_k/2$ up the "
                            + "arrows and adds Gaussian noise of variance $\\epsilon_k$. Without the noise every "
                            + "point would climb to the nearest peak of $\\log q$ and stay there; with it, as the "
                            + "steps shrink and their number grows, the points end up distributed as $q$ itself.",
                    "The notebook's experiment: one start point, $(1.5, -1.5)$, ten steps of a step size "
                            + "$\\epsilon = 0.01$ that decays by $d = 0.9$ each step, each step drawn as an arrow "
                            + "over the learned score field. Click the field to start the walk somewhere else. "
                            + "(The notebook draws its noise with torch.rand, uniform with mean ½, which drifts "
                            + "every step by $+\\tfrac12\\sqrt{\\epsilon}$; the engine draws Gaussian noise, as "
                            + "the notebook's text says.)",
                    "To sample a whole cloud the app starts 2,000 points from $\\mathcal{N}(0, I)$ and runs "
                            + "$K = 1000$ iterations with $\\epsilon = 0.001$ and $d = 0.999$: the steps add up to "
                            + "$\\sum_k \\epsilon_k = \\epsilon(1 - d^K)/(1 - d) \\approx 0.63$, enough to carry "
                            + "the noise onto the data."),
            "dsm", LiveView.LANGEVIN, "langevinStepSize", null,
            "Too small a step and the chain never leaves the noise; too large and it jumps over the thin arms and "
                    + "blurs them.",
            "Set the temperature τ to 0 in your head: where does every walk end? What does the noise buy that "
                    + "plain gradient ascent on log q does not?"),

    SLICED("sliced", "Sliced score matching",
            "J_{\\text{SSM}}(\\theta) = \\mathbb{E}_{q(x)}\\,\\mathbb{E}_{v}\\Big[ v^\\top \\nabla_x "
                    + "s_\\theta(x)\\, v + \\tfrac12 \\big(v^\\top s_\\theta(x)\\big)^2 \\Big]",
            List.of("Song et al. (2019) replace the trace by its projection on a random direction: "
                            + "$\\mathbb{E}_v[v^\\top A v] = \\operatorname{tr}(A)$ whenever "
                            + "$\\mathbb{E}[v v^\\top] = I$. One Jacobian-vector product per point, computed in "
                            + "forward mode, costs about one more forward pass, whatever the dimension.",
                    "The app draws $v \\sim \\mathcal{N}(0, I)$ and normalises it to unit length, as the notebook "
                            + "does: that scales the objective by $1/d$ and leaves its minimiser where it was. "
                            + "(The notebook's cell cannot run, it never imports autograd, and it squares the "
                            + "projection coordinate by coordinate; the engine computes "
                            + "$v^\\top J v + \\tfrac12 (v^\\top s)^2$ summed over the dimensions.)",
                    "The loss is not a distance to the true score: it goes below zero, and its value alone says "
                            + "little. Watch the field instead. It is trained only where the data are; away from "
                            + "them it is whatever the network extrapolates."),
            "ssm", LiveView.FIELD, "batchSize", null,
            "Every point gets one random direction: a larger batch averages over more of them, a less noisy "
                    + "estimate of the trace.",
            "Why is an unbiased but noisy estimate of the trace good enough for stochastic gradient descent?"),

    DENOISING("denoising", "Denoising score matching, and why one σ is not enough",
            "\\tilde x = x + \\sigma \\varepsilon, \\qquad \\ell(\\theta) = \\tfrac12\\, \\mathbb{E}\\Big\\| "
                    + "s_\\theta(\\tilde x) + \\frac{\\varepsilon}{\\sigma} \\Big\\|^2, \\qquad "
                    + "\\nabla_{\\tilde x} \\log q_\\sigma(\\tilde x \\mid x) = -\\frac{\\tilde x - x}{\\sigma^2}",
            List.of("Vincent (2011): add noise of level $\\sigma$ to each point and regress on the score of the "
                            + "noise, which is known in closed form, $-(\\tilde x - x)/\\sigma^2 = "
                            + "-\\varepsilon/\\sigma$. No Jacobian at all. The model learns the score of the "
                            + "noised data $q_\\sigma(\\tilde x)$, close to the score of $q$ when $\\sigma$ is "
                            + "small. (The notebook's text has the sign of that score wrong; its code is right.)",
                    "This run is the notebook's: $\\sigma = 0.01$. Such noised points never leave the data, so "
                            + "the model is never told what to do away from them, and the arrows there are "
                            + "arbitrary: a Langevin chain started from noise gets lost. With a large $\\sigma$ "
                            + "the field is useful everywhere, but it is the score of a blurred distribution, and "
                            + "the samples come out blurred. No single $\\sigma$ gives both.",
                    "The loss keeps its irreducible part $d/(2\\sigma^2)$, $10^4$ at $\\sigma = 0.01$, so its "
                            + "curve looks flat. The way out is many noise levels at once, from large to small, "
                            + "with the model told which level it sees: the diffusion models of the next sections "
                            + "do exactly that, with the step $t$ as the level."),
            "notebook_score", LiveView.FIELD, "sigma", null,
            "Train σ = 0.1 and σ = 1 beside this run: compare the arrows away from the data, and the samples.",
            "If one model could learn the score for several σ at once, in which order would you use them while "
                    + "sampling, and why?"),

    FORWARD("forward", "The forward process and its schedules",
            "q(x_t \\mid x_{t-1}) = \\mathcal{N}\\big(\\sqrt{1-\\beta_t}\\, x_{t-1},\\ \\beta_t I\\big), \\qquad "
                    + "q(x_t \\mid x_0) = \\mathcal{N}\\big(\\sqrt{\\bar\\alpha_t}\\, x_0,\\ (1-\\bar\\alpha_t) I"
                    + "\\big), \\qquad \\bar\\alpha_t = \\prod_{s=1}^{t} (1 - \\beta_s)",
            List.of("The forward process destroys the data in $T$ small steps: each shrinks the point a little "
                            + "and adds Gaussian noise of variance $\\beta_t$. Gaussians compose, so any step is "
                            + "one jump away from the data: $x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + "
                            + "\\sqrt{1-\\bar\\alpha_t}\\, \\varepsilon$ with $\\varepsilon \\sim "
                            + "\\mathcal{N}(0, I)$. Training never runs the chain: it draws a $t$ and jumps.",
                    "The schedule $\\beta_1, \\dots, \\beta_T$ decides how fast the signal fades: linear, quad, "
                            + "sigmoid (the notebook's) or cosine (Nichol & Dhariwal, which sets $\\bar\\alpha_t$ "
                            + "directly). What matters most is where it ends. Sampling starts from "
                            + "$\\mathcal{N}(0, I)$, so $x_T$ must be noise: the notebook's schedule (sigmoid, "
                            + "$10^{-5}$ to $10^{-2}$, $T = 100$) ends at $\\bar\\alpha_T = 0.605$, its last frame "
                            + "still shows the roll, and the app warns; the app's default ($10^{-4}$ to $0.1$) ends "
                            + "at $\\bar\\alpha_T \\approx 0.0054$.",
                    "Nothing is learned here: these frames are the same at every step of training."),
            "default", LiveView.FORWARD, "schedule", null,
            "Cosine keeps the signal longer at first and destroys it faster at the end: compare its frames with "
                    + "the sigmoid's.",
            "The notebook's schedule ends at ᾱ_T = 0.605, yet its sampler starts from N(0, I). What goes wrong "
                    + "in the first reverse steps?"),

    REVERSE("reverse", "The reverse process and the variational bound",
            "p_\\theta(x_{t-1} \\mid x_t) = \\mathcal{N}\\big(\\mu_\\theta(x_t, t),\\ \\Sigma_\\theta(x_t, t)"
                    + "\\big), \\qquad L = \\mathbb{E}_q\\Big[ \\sum_{t > 1} D_{\\mathrm{KL}}\\big(q(x_{t-1} "
                    + "\\mid x_t, x_0) \\,\\|\\, p_\\theta(x_{t-1} \\mid x_t)\\big) - \\log p_\\theta(x_0 \\mid "
                    + "x_1) \\Big] + C",
            List.of("When every $\\beta_t$ is small, the reverse of a forward step is close to Gaussian too "
                            + "(Sohl-Dickstein et al. 2015), so the model is a Gaussian step back: a network "
                            + "reads $x_t$ and $t$ and predicts a mean and a log-variance. Sampling starts from "
                            + "$x_T \\sim \\mathcal{N}(0, I)$ and takes $T$ such steps.",
                    "Training minimises an upper bound on $-\\log p_\\theta(x_0)$ that splits into one KL "
                            + "divergence per step. Given $x_0$ the forward posterior is known in closed form, "
                            + "$q(x_{t-1} \\mid x_t, x_0) = \\mathcal{N}(\\tilde\\mu_t, \\tilde\\beta_t I)$ with "
                            + "$\\tilde\\beta_t = \\beta_t (1-\\bar\\alpha_{t-1})/(1-\\bar\\alpha_t)$, so every "
                            + "term is a KL between two Gaussians, computed exactly.",
                    "This run trains DDPM's form of the bound, in bits per coordinate, with a continuous Gaussian "
                            + "decoder $p_\\theta(x_0 \\mid x_1)$ for the last step. The notebook trains Sohl-Dickstein's form (presets vlb_sohl and "
                            + "notebook_vlb, 395,079 steps). Press play to watch the particles go from noise to "
                            + "data."),
            "ddpm_vlb", LiveView.MOTION, "timesteps", null,
            "More steps make each true reverse step closer to a Gaussian but the chain longer; fewer make each "
                    + "Gaussian step a worse guess.",
            "The true reverse step q(x_{t−1} | x_t) is unknown. Why can every KL term of the bound still be "
                    + "computed in closed form during training?"),

    DDPM("ddpm", "DDPM and the simple loss",
            "L_{\\text{simple}}(\\theta) = \\mathbb{E}_{t, x_0, \\varepsilon}\\Big[ \\big\\| \\varepsilon - "
                    + "\\varepsilon_\\theta\\big(\\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1-\\bar\\alpha_t}\\, "
                    + "\\varepsilon,\\ t\\big) \\big\\|^2 \\Big]",
            List.of("Ho et al. (2020) fix the variance of each step, $\\sigma_t^2 = \\beta_t$, and write the mean "
                            + "through a noise estimate, $\\mu_\\theta = \\frac{1}{\\sqrt{\\alpha_t}}\\big(x_t - "
                            + "\\frac{\\beta_t}{\\sqrt{1-\\bar\\alpha_t}}\\, \\varepsilon_\\theta(x_t, t)\\big)$. "
                            + "Every KL term becomes a weighted squared error between $\\varepsilon$ and "
                            + "$\\varepsilon_\\theta$; dropping the weights gives the simple loss: noise a point to "
                            + "a random $t$ in one jump and ask the network which noise was added.",
                    "The same network is a score model at every noise level, $s_\\theta(x_t, t) = "
                            + "-\\varepsilon_\\theta(x_t, t)/\\sqrt{1-\\bar\\alpha_t}$: DDPM is denoising score "
                            + "matching with $T$ noise levels at once, the answer to the dilemma of one "
                            + "$\\sigma$, and its sampler lowers the noise level step by step.",
                    "The network may predict $x_0$ or $v = \\sqrt{\\bar\\alpha_t}\\, \\varepsilon - "
                            + "\\sqrt{1-\\bar\\alpha_t}\\, x_0$ instead (Salimans & Ho 2022): each gives the other "
                            + "two. Samples come from an exponential moving average of the weights (0.999), which "
                            + "smooths the noise of Adam's steps."),
            "default", LiveView.MOTION, "prediction", null,
            "Predict x0 or v instead of ε: same data, same schedule, a different target.",
            "Near t = T, x_t is almost pure noise. Which is easier to predict there, ε or x₀? And near t = 0?"),

    DDIM("ddim", "Faster sampling: DDIM",
            "x_{\\tau_{i-1}} = \\sqrt{\\bar\\alpha_{\\tau_{i-1}}}\\, \\hat x_0 + \\sqrt{1 - "
                    + "\\bar\\alpha_{\\tau_{i-1}} - \\sigma_i^2}\\; \\varepsilon_\\theta(x_{\\tau_i}, \\tau_i) + "
                    + "\\sigma_i z, \\qquad \\hat x_0 = \\frac{x_{\\tau_i} - \\sqrt{1-\\bar\\alpha_{\\tau_i}}\\, "
                    + "\\varepsilon_\\theta(x_{\\tau_i}, \\tau_i)}{\\sqrt{\\bar\\alpha_{\\tau_i}}}",
            List.of("Ancestral sampling takes all $T$ steps. Song, Meng & Ermon (2021) noticed that the simple "
                            + "loss only ever sees the marginals $q(x_t \\mid x_0)$, never the chain between them, "
                            + "so the same $\\varepsilon_\\theta$ serves a whole family of processes with those "
                            + "marginals, some of which skip steps. DDIM walks a subsequence $\\tau_1 < \\dots < "
                            + "\\tau_S$ of $S$ steps: guess $\\hat x_0$ from the noise estimate, then jump to the "
                            + "next noise level.",
                    "$\\eta$ sets how much fresh noise each step adds, $\\sigma_i = \\eta\\, "
                            + "\\sqrt{(1-\\bar\\alpha_{\\tau_{i-1}})/(1-\\bar\\alpha_{\\tau_i})}\\, "
                            + "\\sqrt{1 - \\bar\\alpha_{\\tau_i}/\\bar\\alpha_{\\tau_{i-1}}}$: $\\eta = 1$ is close "
                            + "to ancestral sampling, $\\eta = 0$ is deterministic (the same $x_T$ always gives "
                            + "the same $x_0$). With $S = 10$ a sample costs a tenth of the network evaluations.",
                    "Nothing is retrained: this view samples the run's current weights on demand with DDIM at "
                            + "$\\eta = 0$. Change $S$ and see what fewer steps cost. The app's $\\tau$ always "
                            + "ends at $T$, so the chain starts where the ancestral one does."),
            "default", LiveView.DDIM, "sampleSteps", "10",
            "The number of DDIM steps S, applied at once to this run's weights: try 2, 5, 20 and 100.",
            "With η = 0 sampling is a deterministic map from x_T to x₀. What can you do with such a map that "
                    + "ancestral sampling does not allow?"),

    FLOW("flow", "Flow matching",
            "x_t = (1 - t)\\, x_0 + t\\, \\varepsilon, \\qquad L(\\theta) = \\mathbb{E}_{t, x_0, \\varepsilon}"
                    + "\\big\\| v_\\theta(x_t, t) - (\\varepsilon - x_0) \\big\\|^2, \\qquad \\frac{dx}{dt} = "
                    + "v_\\theta(x, t)",
            List.of("Flow matching (Lipman et al. 2023; rectified flow, Liu et al. 2023) keeps the idea, a path "
                            + "from data to noise and a network that learns the way back, and makes the path a "
                            + "straight line, $x_t = (1 - t)\\, x_0 + t\\, \\varepsilon$ for $t$ from 0 to 1. Its "
                            + "velocity is $\\varepsilon - x_0$, and the network regresses on it.",
                    "The minimiser is the average velocity $v^*(x, t) = \\mathbb{E}[\\varepsilon - x_0 \\mid x_t "
                            + "= x]$, and the ODE $dx/dt = v^*$ carries $\\mathcal{N}(0, I)$ at $t = 1$ onto the "
                            + "data at $t = 0$. Sampling integrates it backwards: Euler's method in $N$ steps ($N$ "
                            + "network evaluations), or Heun's, second order, in $2N - 1$.",
                    "No noise schedule and no random step; yet a score comes out of the velocity, $s(x, t) = "
                            + "-(x + (1 - t)\\, v(x, t))/t$, so the score field and Langevin work for flow models "
                            + "too. Here $t$ is binned into $T = 100$ bins: the network's time input is the "
                            + "notebook's per-step gain."),
            "flow_matching", LiveView.MOTION, "sampleSteps", null,
            "Euler's steps N: start the same run with N = 8 and compare the samples.",
            "Every training path is a straight line, yet the particles' paths bend. Why?");

    /** What a section's live view draws from its run. */
    public enum LiveView {
        /** The data in grey and the model's samples in red. */
        SAMPLES,
        /** The learned score field as arrows over the data. */
        FIELD,
        /** The score field with one Langevin walk from a chosen start point, each step an arrow. */
        LANGEVIN,
        /** The forward frames q(x_t | x_0). */
        FORWARD,
        /** The reverse chain in motion (the dashboard's player). */
        MOTION,
        /** DDIM samples of the run's weights, drawn on demand with S steps. */
        DDIM;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final String title;
    private final String tex;
    private final List<Prose> paragraphs;
    private final String preset;
    private final LiveView view;
    private final String knob;
    private final String knobValue;
    private final String knobWhy;
    private final String question;

    LessonSection(String id, String title, String tex, List<String> paragraphs, String preset, LiveView view,
                  String knob, String knobValue, String knobWhy, String question) {
        this.id = id;
        this.title = title;
        this.tex = tex;
        this.paragraphs = paragraphs.stream().map(Prose::of).toList();
        this.preset = preset;
        this.view = view;
        this.knob = knob;
        this.knobValue = knobValue;
        this.knobWhy = knobWhy;
        this.question = question;
    }

    /** The URL slug: {@code /lesson/{id}}. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String path() {
        return "/lesson/" + id;
    }

    /** The section's formula in TeX, typeset as a display. */
    public String tex() {
        return tex;
    }

    /**
     * The formula's parts, cut where it says {@code \qquad} outside any group: each is typeset as a display of its
     * own, side by side where they fit and one under the other on a phone.
     */
    public List<String> texParts() {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tex.length(); i++) {
            char c = tex.charAt(i);
            if (c == '\\' && depth == 0 && isQquad(i)) {
                addPart(parts, tex.substring(start, i));
                start = i + "\\qquad".length();
                i = start - 1;
            } else if (c == '\\') {
                i++; // an escaped character (\{, \\) is no group
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        addPart(parts, tex.substring(start));
        return parts;
    }

    /** Whether the command at {@code i} is {@code \qquad} (not a longer name that starts so). */
    private boolean isQquad(int i) {
        int end = i + "\\qquad".length();
        return tex.startsWith("\\qquad", i) && (end == tex.length() || !Character.isLetter(tex.charAt(end)));
    }

    private static void addPart(List<String> parts, String part) {
        if (!part.isBlank()) {
            parts.add(part.strip());
        }
    }

    public List<Prose> paragraphs() {
        return paragraphs;
    }

    /** The preset whose newest run the live view shows, and which "Run it" starts. */
    public Presets.Preset preset() {
        return Presets.get(preset);
    }

    public LiveView view() {
        return view;
    }

    /** The config field worth turning ({@link ConfigFields}). */
    public String knob() {
        return knob;
    }

    /** The knob's value to start from when it is not the preset's own (DDIM's S), or null. */
    public String knobValue() {
        return knobValue;
    }

    /** Why the knob is worth turning. */
    public String knobWhy() {
        return knobWhy;
    }

    public String question() {
        return question;
    }

    /** The section before this one, if any. */
    public Optional<LessonSection> previous() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    public Optional<LessonSection> next() {
        return ordinal() == values().length - 1 ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    public static Optional<LessonSection> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The section {@code id}, or a 404 naming the sections (a long id cut short in the message). */
    public static LessonSection require(String id) {
        return byId(id).orElseThrow(() -> HttpProblem.notFound("the lesson has no section '"
                + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'; its sections are " + ids()));
    }

    /** Every section's id, in order, for a message naming them. */
    public static String ids() {
        return Arrays.stream(values()).map(LessonSection::id).collect(Collectors.joining(", "));
    }

    /** The section that explains a run's objective: what its loss curve is the loss of. */
    public static LessonSection forObjective(String objectiveId) {
        return switch (ObjectiveKind.fromId(objectiveId)) {
            case DSM -> DENOISING;
            case SSM -> SLICED;
            case VLB_SOHL, DDPM_VLB -> REVERSE;
            case DDPM_SIMPLE -> DDPM;
            case FLOW_MATCHING -> FLOW;
        };
    }
}
