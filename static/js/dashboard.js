// /runs/{id}: the live dashboard. Everything arrives on the live socket (docs/PROTOCOL.md) and goes through
// the run's state (run-state.js); this module draws what changed, once per animation frame.
// The projector layout (/runs/{id}?view=projector, data-projector) has the same pictures without the forms, the
// strips, the player and the controls: whatever the page lacks is simply not drawn.

import { api, formatDuration, formatNumber } from './api.js';
import { connectLive } from './live.js';
import { StepChart } from './loss-chart.js';
import { COLORS, Plot, boxAround, noiseBox } from './point-cloud.js';
import { drawQuiver } from './quiver.js';
import { FrameStrip } from './frames.js';
import { MotionPlayer } from './motion.js';
import { initialRunState, reduce } from './run-state.js';
import { SamplerPanel } from './sampler-panel.js';
import { QualityChart, bestNfe, describeQuality } from './quality-chart.js';

const root = document.getElementById('dashboard');
const runId = root.dataset.runId;
const scoreModel = root.dataset.scoreModel === 'true';
const projector = root.dataset.projector === 'true';
const $ = (id) => document.getElementById(id);
/** A part of the page that the projector layout leaves out: the part, or null there. */
const optional = (id, make) => ($(id) ? make($(id)) : null);

let run = initialRunState(); // what the live socket said so far
const view = { // how it is shown
  box: { cx: 0, cy: 0, half: 3.2 },
  dataBox: { cx: 0, cy: 0, half: 2 },
  t: projector ? 3 : 0, // the projector shows the pictures a third of the way to noise
};

// --- charts ------------------------------------------------------------------------------------

const lossChart = new StepChart($('loss-chart'), { yLabel: 'loss', smoothing: 0.6 });
lossChart.addSeries('run', 'loss', '#1f5f99');
const metricChart = optional('metric-chart', (canvas) => new StepChart(canvas,
  { yLabel: 'distance (log scale)', log: true, smoothing: 0, showRaw: false }));
metricChart?.addSeries('run', 'distance to held-out data', '#c0392b');
const qualityChart = optional('quality-chart', (canvas) => new QualityChart(canvas));
qualityChart?.addSeries('run', 'distance to held-out data', '#c0392b');

$('loss-log')?.addEventListener('change', (e) => { lossChart.setLog(e.target.checked); lossNote(); });
$('loss-smoothing')?.addEventListener('input', (e) => {
  lossChart.setSmoothing(Number(e.target.value));
  $('loss-smoothing-value').textContent = Number(e.target.value).toFixed(2);
});

function lossNote() {
  $('loss-note').textContent = lossChart.hidesPoints()
    ? 'This objective has values ≤ 0, which a log scale cannot show.' : '';
}

const sampler = optional('sampler-form', () => new SamplerPanel(runId, scoreModel));

// --- pictures ----------------------------------------------------------------------------------

const bigForward = new Plot($('big-forward'), view.box);
const bigReverse = new Plot($('big-reverse'), view.box);
const bigField = new Plot($('big-field'), view.box);
const samplesPlot = new Plot($('samples-canvas'), view.dataBox);
const forwardStrip = optional('forward-strip', (e) => new FrameStrip(e, view.box, COLORS.forward, pickFrame));
const reverseStrip = optional('reverse-strip', (e) => new FrameStrip(e, view.box, COLORS.reverse, pickFrame));
const motion = optional('motion', (e) => new MotionPlayer(e, { scoreModel, box: view.box }));
const slider = $('t-slider');
slider?.addEventListener('input', () => pickFrame(Number(slider.value)));

function pickFrame(i) {
  view.t = i;
  if (slider) slider.value = String(i);
  schedule('big');
}

function setData(data) {
  view.box = noiseBox(data);
  view.dataBox = boxAround([data], { margin: 0.3 });
  for (const plot of [bigForward, bigReverse, bigField]) plot.box = view.box;
  samplesPlot.box = view.dataBox;
  forwardStrip?.setBox(view.box);
  reverseStrip?.setBox(view.box);
  motion?.setBox(view.box);
  motion?.setData(data);
  sampler?.setData(data, view.dataBox);
}

// Only what changed is redrawn: the t slider redraws the three big pictures, new frames their strip, new samples
// their plot. One part per animation frame, so that a refresh of every picture at once never holds up a frame
// (of the motion player, say) for long.
const PARTS = ['big', 'forward', 'reverse', 'samples'];
const dirty = new Set();
function schedule(...parts) {
  const wasClean = dirty.size === 0;
  (parts.length ? parts : PARTS).forEach((p) => dirty.add(p));
  if (wasClean) requestAnimationFrame(drawNext);
}

function drawNext() {
  const part = PARTS.find((p) => dirty.has(p));
  dirty.delete(part);
  draw(part);
  if (dirty.size > 0) requestAnimationFrame(drawNext);
}

function tLabel(ts, i) {
  return ts ? `t = ${ts[i]}` : '';
}

function reverseLabel(ts, i) {
  if (!ts) return '';
  return scoreModel ? `k = ${ts[i]}` : `t = ${ts[i]}`;
}

/** A canvas' text for screen readers: what it shows now. */
function describe(canvas, text) {
  if (canvas.getAttribute('aria-label') !== text) canvas.setAttribute('aria-label', text);
}

const points = (cloud) => `${(cloud.length / 2).toLocaleString()} points`;

function draw(part) {
  const i = view.t;
  const { data, forward: f, reverse: r, field: fld, samples: s } = run.pictures;
  if (part === 'big') {
    const t = f ? `t = ${f.ts[i]}` + (scoreModel && r ? ` · k = ${r.ts[i]}` : '') : `frame ${i + 1}`;
    $('t-value').textContent = t;
    slider?.setAttribute('aria-valuetext', t);
    if (f) {
      bigForward.clear().points(f.clouds[i], COLORS.forward, 2.2).label(tLabel(f.ts, i));
      describe(bigForward.canvas, `Forward process at t = ${f.ts[i]}: ${points(f.clouds[i])} of the data with noise`);
    } else {
      bigForward.placeholder('waiting for the first frames…');
    }
    if (r) {
      bigReverse.clear().points(r.clouds[i], COLORS.reverse, 2.2).label(reverseLabel(r.ts, i) + ` · step ${r.trainingStep}`);
      describe(bigReverse.canvas, `${scoreModel ? 'Langevin chain' : 'Reverse chain'} at ${reverseLabel(r.ts, i)}: `
        + `${points(r.clouds[i])} from the model at training step ${r.trainingStep.toLocaleString()}`);
    } else {
      bigReverse.placeholder('the reverse chain appears after a moment of training');
    }
    if (fld) {
      drawQuiver(bigField, fld, fld.vectors[i], scoreModel || !f ? data : f.clouds[i]);
      bigField.label((scoreModel ? 's_θ(x)' : `t = ${fld.ts[i]}`) + ` · step ${fld.trainingStep}`);
      describe(bigField.canvas, `Learned score field${scoreModel ? '' : ` at t = ${fld.ts[i]}`}, arrows on a grid, `
        + `at training step ${fld.trainingStep.toLocaleString()}`);
    } else {
      bigField.placeholder('the score field appears after a moment of training');
    }
    forwardStrip?.setActive(i);
    reverseStrip?.setActive(i);
  }
  if (part === 'forward') forwardStrip?.draw(f && f.clouds, f && f.ts.map((t) => `t = ${t}`));
  if (part === 'reverse') reverseStrip?.draw(r && r.clouds, r && r.ts.map((t) => (scoreModel ? `k = ${t}` : `t = ${t}`)));
  if (part === 'samples') {
    if (s) {
      samplesPlot.clear().points(data, COLORS.data, 2).points(s.cloud, COLORS.samples, 2).paths(s.trajectories);
      $('samples-caption').textContent = projector ? `Samples (red) at step ${s.trainingStep.toLocaleString()}`
        : `grey: training data x₀; red: ${s.cloud.length / 2} samples by ${s.sampler}`
        + ` at training step ${s.trainingStep.toLocaleString()}` + (s.trajectories ? '; lines: Langevin trajectories' : '');
      describe(samplesPlot.canvas, `${(s.cloud.length / 2).toLocaleString()} samples at training step `
        + `${s.trainingStep.toLocaleString()}, over the training data`);
    } else if (data) {
      samplesPlot.clear().points(data, COLORS.data, 2).label('samples appear after a moment of training');
    }
  }
}

// --- status and controls -----------------------------------------------------------------------

let connection = { text: 'connecting…', connected: false };

function showStatus(s) {
  if ($('reflow')) $('reflow').hidden = s.state !== 'done'; // a finished flow can be reflowed
  const fraction = s.totalSteps > 0 ? Math.min(1, s.step / s.totalSteps) : 0;
  $('progress-fill').style.width = `${(100 * fraction).toFixed(1)}%`;
  $('progressbar').setAttribute('aria-valuenow', String(Math.round(100 * fraction)));
  const stepText = `step ${s.step.toLocaleString()} / ${s.totalSteps.toLocaleString()}`;
  // an ended run cannot change, so a lost connection does not matter to it; a live one says what it last knew
  const lost = !connection.connected && !s.terminal;
  let text;
  if (lost) text = `${stepText} · ${connection.text}`;
  else {
    switch (s.state) {
      case 'queued': text = `waiting in line (position ${s.queuePosition}): other runs are using the cores`; break;
      case 'running': text = `${stepText} · ${Math.round(s.stepsPerSecond).toLocaleString()} steps/s · ${formatDuration(s.etaSeconds)} left`; break;
      case 'paused': text = `${stepText} · paused`; break;
      case 'done': text = `${stepText} · finished`; break;
      default: text = `${stepText} · ${s.state}`;
    }
  }
  $('progress-text').textContent = text;
  const badge = $('run-state');
  badge.textContent = s.state === 'done' ? 'finished' : s.state;
  badge.className = `state state-${s.state}${lost ? ' stale' : ''}`;
  badge.title = lost ? 'the last state the server sent' : '';
  showConnection();
  showSummary(s);
  const error = $('run-error');
  const skipped = s.skippedUpdates > 0
    ? `${s.skippedUpdates.toLocaleString()} step${s.skippedUpdates === 1 ? '' : 's'} had a gradient that was not a `
      + 'finite number and changed no weight: a lower learning rate (lr) or gradient clipping (gradClip) may help.' : '';
  error.hidden = !s.error && !skipped;
  error.textContent = [s.error, skipped].filter(Boolean).join(' ');
  const controls = $('controls');
  if (controls) {
    const active = ['queued', 'running', 'paused'].includes(s.state);
    controls.querySelector('[data-action=pause]').disabled = s.state !== 'running';
    controls.querySelector('[data-action=resume]').disabled = s.state !== 'paused';
    controls.querySelector('[data-action=stop]').disabled = !active;
  }
  sampler?.setAvailable(s.state !== 'queued' && s.step > 0);
}

/** The live indicator: gone once the run has ended (nothing more will come), else the socket's state. */
function showConnection() {
  const indicator = $('live-indicator');
  const ended = run.status && run.status.terminal;
  indicator.hidden = ended;
  indicator.textContent = connection.text;
  indicator.classList.toggle('on', connection.connected);
  indicator.classList.toggle('off', !connection.connected && connection.text !== 'connecting…');
}

// The server's clock at page load, for the wall time of a run that ends while the page watches.
const clockOffset = Date.now() - Number(root.dataset.serverNow);
const qualityFloor = Number(root.dataset.qualityFloor);

const ENDINGS = { done: 'Finished', stopped: 'Stopped', diverged: 'Diverged', failed: 'Failed' };

/** Once the run has ended: how far it got, in how long, and how good its samples are next to the best possible. */
function showSummary(s) {
  const box = $('run-summary');
  box.hidden = !s.terminal;
  $('pictures-note').hidden = s.terminal;
  $('pictures-note-final').hidden = !s.terminal;
  if (!s.terminal) return;
  const finishedAt = Number(root.dataset.finishedAt) || Date.now() - clockOffset;
  const seconds = (finishedAt - Number(root.dataset.createdAt)) / 1000;
  const parts = [`${ENDINGS[s.state] || s.state} after ${s.step.toLocaleString()} of ${s.totalSteps.toLocaleString()} steps, `
    + `${formatDuration(seconds)} after it was started.`];
  const m = run.metric;
  const last = m && m.steps.length ? m.values[m.values.length - 1] : null;
  if (Number.isFinite(last)) {
    parts.push(`Final sample quality: ${formatNumber(last, 3)} (sliced Wasserstein distance to held-out data at step `
      + `${m.steps[m.steps.length - 1].toLocaleString()}; lower is better).`);
    if (qualityFloor > 0) {
      parts.push(`Two fresh draws of the data set are ${formatNumber(qualityFloor, 2)} apart, the best any model can do: `
        + `this run is ${formatNumber(last / qualityFloor, 2)} times that.`);
    }
  } else {
    parts.push('It ended before its samples were measured.');
  }
  box.textContent = parts.join(' ');
}

const controls = $('controls');
if (controls) {
  controls.addEventListener('click', async (event) => {
    const action = event.target.dataset && event.target.dataset.action;
    if (!action) return;
    const error = $('run-error');
    try {
      if (action === 'delete') {
        if (!confirm('Delete this run for everyone watching it?')) return;
        await api('DELETE', `/api/runs/${runId}`);
        location.href = '/';
        return;
      }
      // The answer is the status when the server took the request; the socket may already have sent a newer
      // one (a stop ends the run a moment later, and both travel separately): the newer one wins. Every status
      // from the socket is a new object, so an unchanged one means the socket has said nothing since.
      const seen = run.status;
      const answer = await api('POST', `/api/runs/${runId}/${action}`);
      if (run.status === seen) showStatus(answer);
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
    }
  });
}

// "Reflow: straighten this flow", once a flow_matching run is done: anyone watching may start it
const reflow = $('reflow');
if (reflow) {
  $('reflow-button').addEventListener('click', async () => {
    $('reflow-button').disabled = true;
    try {
      const child = await api('POST', `/api/runs/${runId}/reflow`);
      location.href = `/runs/${child.id}`;
    } catch (e) {
      $('run-error').hidden = false;
      $('run-error').textContent = e.message;
      $('reflow-button').disabled = false;
    }
  });
}

const share = $('share-link');
if (share) share.value = `${location.origin}/runs/${runId}`;
$('copy-link')?.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(share.value);
  } catch (e) {
    share.select();
    document.execCommand('copy');
  }
  $('copy-link').textContent = 'Copied';
  setTimeout(() => { $('copy-link').textContent = 'Copy'; }, 1500);
});

// --- the live socket ---------------------------------------------------------------------------

/** Says so when this run's schedule does not reach noise (x_T is not N(0, I), yet sampling starts there). */
async function checkSchedule(config) {
  if (scheduleChecked || scoreModel) return;
  scheduleChecked = true;
  const q = new URLSearchParams({ schedule: config.schedule, timesteps: config.timesteps,
    betaStart: config.betaStart, betaEnd: config.betaEnd });
  try {
    const s = await api('GET', `/api/schedule?${q}`);
    if (!s.reachesNoise) {
      const note = $('schedule-note');
      note.textContent = `ᾱ_T = ${formatNumber(s.alphaBarT, 3)}: ${s.message}. Compare the last forward frame `
        + 'with the first frame of the reverse chain.';
      note.hidden = false;
    }
  } catch (e) { /* only a note */ }
}
let scheduleChecked = false;

/** A chart's text for screen readers: its newest point. */
function describeCurve(canvas, title, points) {
  const n = points.steps.length;
  describe(canvas, n === 0 ? `${title}: no points yet`
    : `${title}: ${formatNumber(points.values[n - 1], 3)} at step ${points.steps[n - 1].toLocaleString()}`);
}

// What each changed picture asks to redraw: the three big pictures show every kind at the slider's t.
// New data moves every plot's box and is drawn behind the big pictures and the samples.
const REDRAWS = {
  data: ['big', 'forward', 'reverse', 'samples'],
  forward: ['big', 'forward'],
  reverse: ['big', 'reverse'],
  field: ['big'],
  samples: ['samples'],
};

function onMessage(message) {
  const { state, changed } = reduce(run, message);
  run = state;
  if (changed.has('config')) checkSchedule(run.config);
  if (changed.has('data')) setData(run.pictures.data);
  if (changed.has('config')) motion?.setPath(run.path);
  if (changed.has('motion') && run.pictures.motion) motion?.setMotion(run.pictures.motion);
  if (changed.has('loss')) {
    lossChart.update('run', run.loss);
    if (run.loss.whole) lossNote();
    describeCurve($('loss-chart'), 'Loss by training step', run.loss);
  }
  if (changed.has('metric')) {
    metricChart?.update('run', run.metric);
    if (metricChart) describeCurve($('metric-chart'), 'Sample quality (sliced Wasserstein distance to held-out data) by training step', run.metric);
  }
  if (changed.has('quality') && run.pictures.quality) {
    const q = run.pictures.quality;
    qualityChart?.set('run', q);
    if (qualityChart) $('quality-note').textContent = describeQuality(q, bestNfe(q));
  }
  if (changed.has('status') || (changed.has('metric') && run.status.terminal)) showStatus(run.status);
  const parts = [...changed].flatMap((kind) => REDRAWS[kind] || []);
  if (parts.length) schedule(...parts);
}

connectLive(runId, onMessage, (text, connected) => {
  connection = { text, connected };
  if (run.status) showStatus(run.status);
  else showConnection();
});
window.addEventListener('resize', () => schedule());
schedule();
