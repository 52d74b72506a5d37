// /lesson/{section}: one section of the lesson. Typesets its formulas with KaTeX (served from its webjar, loaded
// before this module as window.katex), and draws the section's live view of a run with the dashboard's own
// drawing modules: the data and samples, the score field, a Langevin walk as arrows, the forward frames, the
// reverse chain in motion (MotionPlayer) or DDIM samples drawn on demand. "Run it" starts the section's preset
// and shows that run at this section's URL with ?run=, the URL a class follows.

import { api, debounce, formatNumber } from './api.js';
import { connectLive } from './live.js';
import { COLORS, Plot, boxAround, noiseBox } from './point-cloud.js';
import { drawQuiver } from './quiver.js';
import { FrameStrip } from './frames.js';
import { MotionPlayer } from './motion.js';
import { initialRunState, reduce } from './run-state.js';
import { unpackAll, unpackCloud } from './wire.js';

const root = document.getElementById('lesson');
const $ = (id) => document.getElementById(id);
const runId = root.dataset.runId;
const scoreModel = root.dataset.scoreModel === 'true';
const container = $('lesson-view');
/** What a picture that needs a trained model says until it has one. */
const untilTrained = (what) => (runId ? `${what} after a moment of training` : 'press “Run it” to train a model on this data');

// --- the formulas ------------------------------------------------------------------------------

function typeset() {
  for (const el of document.querySelectorAll('.tex[data-tex]')) {
    // render() builds DOM nodes and sets their styles through the CSSOM, which the page's CSP allows
    window.katex.render(el.dataset.tex, el, { displayMode: el.dataset.display === 'true', throwOnError: false });
  }
  root.dataset.typesetAt = String(Math.round(performance.now()));
}
typeset();

/** Notes when the live view first shows the run (the browser test reads it as the section's time to interactive). */
function drawn() {
  if (!root.dataset.drawnAt) root.dataset.drawnAt = String(Math.round(performance.now()));
}

// --- starting a run ----------------------------------------------------------------------------

function showError(element, message) {
  element.hidden = !message;
  element.textContent = message || '';
}

/** Starts the section's preset (with `fields` over it) and shows the new run here. */
async function start(fields, errorElement) {
  showError(errorElement, '');
  try {
    const created = await api('POST', '/api/runs', { preset: root.dataset.preset, ...fields });
    location.href = `${location.pathname}?run=${encodeURIComponent(created.id)}`;
  } catch (e) {
    showError(errorElement, e.message);
  }
}

$('run-it').addEventListener('click', () => start({}, $('lesson-error')));

const knob = root.dataset.knob;
const knobInput = document.querySelector(`#knob-form [name="${knob}"]`);
const knobValue = () => (knobInput.type === 'number' ? Number(knobInput.value) : knobInput.value);
// DDIM's knob acts at once on the run's weights (its view listens to it); every other knob starts a run
const knobStartsARun = root.dataset.view !== 'ddim';
$('knob-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (knobStartsARun) start({ [knob]: knobValue() }, $(`f-${knob}-error`));
});

// --- the views ---------------------------------------------------------------------------------

function element(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** A square plot with its caption, appended to the view. */
function figure(label) {
  const canvas = element('canvas', { className: 'plot' });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const caption = element('figcaption', { textContent: label });
  container.append(element('figure', { className: 'lesson-figure' }, canvas, caption));
  return { plot: new Plot(canvas, { cx: 0, cy: 0, half: 3.2 }), caption };
}

/** Each view: what it builds, and how it draws the run's state (`changed`: what the last message changed). */
const VIEWS = {
  samples() {
    const { plot, caption } = figure('grey: the training data x₀; red: samples of the model');
    return (run) => {
      const { data, samples } = run.pictures;
      if (!data) return;
      plot.box = boxAround([data], { margin: 0.3 });
      plot.clear().points(data, COLORS.data, 2);
      if (!samples) {
        plot.label(untilTrained('the samples appear'));
        return;
      }
      plot.points(samples.cloud, COLORS.samples, 2);
      caption.textContent = `grey: the training data x₀; red: ${(samples.cloud.length / 2).toLocaleString()} samples `
        + `by ${samples.sampler} at training step ${samples.trainingStep.toLocaleString()}`;
      drawn();
    };
  },

  field() {
    const { plot, caption } = figure('the learned score s_θ(x) as arrows over the data');
    return (run) => drawField(plot, caption, run);
  },

  langevin() {
    const { plot, caption } = figure('one Langevin walk over the learned score field');
    const controls = element('form', { className: 'lesson-controls', noValidate: true });
    const input = (name, label, value, attrs) => {
      const i = element('input', { type: 'number', name, value, ...attrs });
      controls.append(element('label', {}, `${label} `, i));
      return i;
    };
    const steps = input('steps', 'steps', '10', { min: 1, max: 1000, step: 1 });
    const epsilon = input('langevinStepSize', 'ε', '0.01', { min: 0, max: 1, step: 'any' });
    const decay = input('langevinDecay', 'd', '0.9', { min: 0, max: 1, step: 'any' });
    controls.append(element('button', { type: 'submit', className: 'secondary', textContent: 'Walk again' }));
    const error = element('p', { className: 'field-error', hidden: true });
    container.append(controls, error);
    let start = { x: 1.5, y: -1.5 };
    let seed = 1;
    let walk = null;
    let state = null;
    let askedFor = -1; // the training step of the field the last walk was asked for

    const redraw = () => {
      if (!drawField(plot, caption, state)) return;
      if (walk) {
        drawWalk(plot, walk.path);
        caption.textContent = `${walk.steps} Langevin steps from (${formatNumber(start.x, 3)}, ${formatNumber(start.y, 3)}), `
          + `ε = ${walk.langevinStepSize}, d = ${walk.langevinDecay}, on the weights of training step `
          + `${walk.trainingStep.toLocaleString()}; click the field to start elsewhere`;
      }
    };
    const ask = async () => {
      const q = new URLSearchParams({ x: start.x, y: start.y, steps: steps.value, langevinStepSize: epsilon.value,
        langevinDecay: decay.value, seed });
      try {
        walk = await api('GET', `/api/runs/${encodeURIComponent(runId)}/langevin-path?${q}`);
        showError(error, '');
      } catch (e) {
        showError(error, e.message);
      }
      redraw();
    };
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!runId) { showError(error, 'a walk needs a learned score: press “Run it” first'); return; }
      seed += 1;
      ask();
    });
    plot.canvas.addEventListener('click', (e) => {
      if (!state || !runId) return;
      const r = plot.canvas.getBoundingClientRect();
      start = { x: plot.box.cx + (e.clientX - r.left - plot.w / 2) / plot.scale,
        y: plot.box.cy - (e.clientY - r.top - plot.h / 2) / plot.scale };
      ask();
    });
    return (run) => {
      state = run;
      // a walk on the weights of each new field (the weights come with the pictures), so that the arrows follow
      // the field they are drawn on
      const field = run.pictures.field;
      if (field && field.trainingStep > askedFor) {
        askedFor = field.trainingStep;
        ask();
      } else {
        redraw();
      }
    };
  },

  forward() {
    const { plot, caption } = figure('the forward process q(xₜ | x₀)');
    const strip = element('div', { className: 'strip' });
    container.append(strip);
    let picked = 9;
    let state = null;
    const draw = () => {
      const f = state && state.pictures.forward;
      if (!f) return;
      frames.setActive(picked);
      plot.clear().points(f.clouds[picked], COLORS.forward, 2.2).label(`t = ${f.ts[picked]}`);
      caption.textContent = `xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε at t = ${f.ts[picked]} of ${state.timesteps}: pick a frame below`;
      drawn();
    };
    const frames = new FrameStrip(strip, { cx: 0, cy: 0, half: 3.2 }, COLORS.forward, (i) => { picked = i; draw(); });
    return (run, changed) => {
      state = run;
      const f = run.pictures.forward;
      if (changed.has('data') && run.pictures.data) {
        const box = noiseBox(run.pictures.data);
        plot.box = box;
        frames.setBox(box);
      }
      if (f && (changed.has('forward') || changed.has('data'))) frames.draw(f.clouds, f.ts.map((t) => `t = ${t}`));
      draw();
    };
  },

  motion() {
    const box = { cx: 0, cy: 0, half: 3.2 };
    const player = new MotionPlayer(container, { scoreModel, box });
    return (run, changed) => {
      if (changed.has('data') && run.pictures.data) {
        player.setBox(noiseBox(run.pictures.data));
        player.setData(run.pictures.data);
      }
      if (changed.has('config')) player.setPath(run.path);
      if (changed.has('motion') && run.pictures.motion) {
        player.setMotion(run.pictures.motion);
        requestAnimationFrame(drawn); // after the player's own frame
      }
    };
  },

  ddim() {
    const { plot, caption } = figure('samples by DDIM from the run’s current weights');
    const error = element('p', { className: 'field-error', hidden: true });
    container.append(error);
    let state = null;
    let result = null;
    let busy = false;
    let again = false;
    const draw = () => {
      const data = state && state.pictures.data;
      if (!data) return;
      plot.box = boxAround([data], { margin: 0.3 });
      plot.clear().points(data, COLORS.data, 2);
      if (!result) {
        plot.label(runId ? 'sampling…' : untilTrained('the samples appear'));
        return;
      }
      plot.points(result.cloud, COLORS.samples, 2).paths(result.trajectories);
      caption.textContent = `${result.n.toLocaleString()} samples by DDIM in S = ${result.sampleSteps} steps (η = 0) `
        + `at training step ${result.trainingStep.toLocaleString()}, in ${(result.millis / 1000).toFixed(2)} s · sliced `
        + `Wasserstein to the data: ${formatNumber(result.distanceToData, 3)} · lines: paths through the chain`;
      drawn();
    };
    const sample = async () => {
      if (busy) { again = true; return; }
      busy = true;
      const q = new URLSearchParams({ sampler: 'ddim', eta: '0', n: '1000', sampleSteps: knobInput.value });
      try {
        const r = await api('GET', `/api/runs/${encodeURIComponent(runId)}/sample?${q}`);
        result = { ...r, cloud: unpackCloud(r.cloud), trajectories: unpackAll(r.trajectories) };
        showError($(`f-${knob}-error`), '');
      } catch (e) {
        showError($(`f-${knob}-error`), e.message);
      }
      busy = false;
      draw();
      if (again) { again = false; sample(); }
    };
    knobInput.addEventListener('input', debounce(() => { if (runId) sample(); }, 300));
    let sampled = false;
    let sampledFinal = false;
    return (run) => {
      state = run;
      // once there are weights (they come with the pictures), and again with the final ones
      const weights = Boolean(run.pictures.reverse || run.pictures.field || run.pictures.samples);
      const final = Boolean(run.status && run.status.terminal);
      if (weights && (!sampled || (final && !sampledFinal))) {
        sampled = true;
        sampledFinal = final;
        sample();
      }
      draw();
    };
  },
};

/** The score field (the first of its frames: the data's score, or the lowest t) over the data; false if none. */
function drawField(plot, caption, run) {
  const data = run && run.pictures.data;
  if (!data) return false;
  plot.box = boxAround([data], { margin: 0.6 });
  const field = run.pictures.field;
  if (!field) {
    plot.clear().points(data, COLORS.data, 2).label(untilTrained('the score field appears'));
    return false;
  }
  drawQuiver(plot, field, field.vectors[0], data);
  caption.textContent = `the learned score ${scoreModel ? 's_θ(x)' : `s_θ(x, t = ${field.ts[0]})`} as arrows (colour: `
    + `its length) over the data, at training step ${field.trainingStep.toLocaleString()}`;
  drawn();
  return true;
}

/** A walk [x0, y0, x1, y1, ...]: the start as a ring, each step an arrow (the notebook's plt.arrow). */
function drawWalk(plot, path) {
  const c = plot.ctx;
  c.save();
  c.strokeStyle = c.fillStyle = '#1e8449';
  c.lineWidth = 2.5;
  for (let i = 0; i + 3 < path.length; i += 2) {
    const x0 = plot.px(path[i]), y0 = plot.py(path[i + 1]), x1 = plot.px(path[i + 2]), y1 = plot.py(path[i + 3]);
    const length = Math.hypot(x1 - x0, y1 - y0);
    if (!(length > 0.5)) continue;
    const a = Math.atan2(y1 - y0, x1 - x0), head = Math.min(9, 0.5 * length);
    c.beginPath();
    c.moveTo(x0, y0);
    c.lineTo(x1, y1);
    c.stroke();
    c.beginPath();
    c.moveTo(x1, y1);
    c.lineTo(x1 - head * Math.cos(a - 0.45), y1 - head * Math.sin(a - 0.45));
    c.lineTo(x1 - head * Math.cos(a + 0.45), y1 - head * Math.sin(a + 0.45));
    c.closePath();
    c.fill();
  }
  c.beginPath();
  c.arc(plot.px(path[0]), plot.py(path[1]), 6, 0, 2 * Math.PI);
  c.stroke();
  c.restore();
}

// --- the run -----------------------------------------------------------------------------------

const draw = VIEWS[root.dataset.view]();
let run = initialRunState();

const STATES = { queued: 'waiting in line', running: 'training', paused: 'paused', done: 'finished' };

function showStatus(s) {
  const badge = $('lesson-state');
  if (!badge || !s) return;
  badge.className = `state state-${s.state}`;
  badge.textContent = `${STATES[s.state] || s.state} · step ${s.step.toLocaleString()} / ${s.totalSteps.toLocaleString()}`;
}

if (runId) {
  connectLive(runId, (message) => {
    const { state, changed } = reduce(run, message);
    run = state;
    if (changed.has('status')) showStatus(run.status);
    if (changed.size) draw(run, changed);
  }, (text, connected) => {
    if (!connected && $('lesson-state')) $('lesson-state').textContent = text;
  });
  window.addEventListener('resize', () => { if (run.status) draw(run, new Set()); });
} else {
  for (const canvas of container.querySelectorAll('canvas.plot')) {
    new Plot(canvas, { cx: 0, cy: 0, half: 1 }).placeholder('press “Run it” to start a run');
  }
  showBeforeTraining();
}

/**
 * No run of the preset yet: the view draws what needs no model, the preset's data and its forward process
 * (GET /api/lesson/{section}/preview, a snapshot of no run), and says what "Run it" adds.
 */
async function showBeforeTraining() {
  let snapshot;
  try {
    snapshot = await api('GET', `/api/lesson/${encodeURIComponent(root.dataset.section)}/preview`);
  } catch {
    return; // the placeholders stay
  }
  const { state, changed } = reduce(run, snapshot);
  run = state;
  draw(run, changed);
  if (run.pictures.data) root.dataset.previewAt = String(Math.round(performance.now()));
  window.addEventListener('resize', () => draw(run, new Set()));
}
