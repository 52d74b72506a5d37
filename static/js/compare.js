// /compare?runs=a,b,c: every run on its own live socket, its messages reduced to the run's state
// (run-state.js); a results table that ranks the runs as they train; the loss and quality curves overlaid on
// shared axes; one progress slider (noise on the left, data on the right) for every run's frames and fields;
// every run's chain in motion played on one clock, so that the columns move from noise to data together.

import { formatDuration, formatNumber } from './api.js';
import { connectLive } from './live.js';
import { StepChart } from './loss-chart.js';
import { COLORS, Plot, boxAround, noiseBox } from './point-cloud.js';
import { MotionPlayer, PlayClock } from './motion.js';
import { drawQuiver } from './quiver.js';
import { PICTURES, frameAtProgress, initialRunState, reduce } from './run-state.js';
import { QualityChart, bestNfe } from './quality-chart.js';

const PALETTE = ['#1f5f99', '#c0392b', '#2a9d8f', '#e07a1f', '#6a4c93', '#8c564b', '#b8336a']; // one per loss variant
const $ = (id) => document.getElementById(id);

const lossChart = new StepChart($('loss-chart'), { yLabel: 'loss', scale: 'symlog', smoothing: 0.6 });
const metricChart = new StepChart($('metric-chart'), { yLabel: 'distance (log scale)', log: true, smoothing: 0, showRaw: false });
const qualityChart = new QualityChart($('quality-chart'));
const slider = $('t-slider');
const FRAMES = Number(slider.max) + 1;
let progress = Number(slider.value); // 0 the noise .. FRAMES − 1 the data
// the server's clock at page load, for the wall time of a run still training
const clockOffset = Date.now() - Number($('compare').dataset.serverNow);
const playClock = new PlayClock(); // every column's motion player: any column's controls play, pause or move all

const runs = [...document.querySelectorAll('.legend-item')].map((item, index) => {
  const id = item.dataset.runId;
  const color = PALETTE[index % PALETTE.length];
  const column = document.querySelector(`.compare-column[data-run-id="${CSS.escape(id)}"]`);
  item.style.setProperty('--swatch', color);
  column.style.setProperty('--swatch', color);
  const name = item.querySelector('a').textContent;
  // a chart's legend is one line of canvas that cannot wrap: a long name is cut short there (the legend
  // above the charts has it whole)
  const label = name.length > 28 ? `${name.slice(0, 27)}…` : name;
  lossChart.addSeries(id, label, color);
  metricChart.addSeries(id, label, color);
  qualityChart.addSeries(id, label, color);
  const canvas = (role) => column.querySelector(`[data-role=${role}]`);
  return {
    id, color, item, column, name,
    connected: false,
    scoreModel: item.dataset.scoreModel === 'true',
    plots: {
      forward: new Plot(canvas('forward'), { cx: 0, cy: 0, half: 3.2 }),
      reverse: new Plot(canvas('reverse'), { cx: 0, cy: 0, half: 3.2 }),
      field: new Plot(canvas('field'), { cx: 0, cy: 0, half: 3.2 }),
      samples: new Plot(canvas('samples'), { cx: 0, cy: 0, half: 2 }),
    },
    motion: new MotionPlayer(canvas('motion'), {
      scoreModel: item.dataset.scoreModel === 'true', box: { cx: 0, cy: 0, half: 3.2 }, clock: playClock,
    }),
    row: document.querySelector(`#results-table tr[data-run-id="${CSS.escape(id)}"]`),
    quality: null, // the latest finite sample-quality metric
    state: initialRunState(),
  };
});
runs.forEach((run) => run.row.style.setProperty('--swatch', run.color));

$('loss-scale').addEventListener('change', (e) => { lossChart.setScale(e.target.value); lossNote(); });
$('loss-smoothing').addEventListener('input', (e) => {
  lossChart.setSmoothing(Number(e.target.value));
  $('loss-smoothing-value').textContent = Number(e.target.value).toFixed(2);
});
slider.addEventListener('input', () => { progress = Number(slider.value); schedule(); });

const SCALE_NOTES = {
  symlog: 'Symlog axis: sign(L) · log₁₀(1 + |L| / 0.01), so losses below 0 (ssm\'s) are drawn with the rest. ',
  linear: 'Linear axis. ',
  log: 'Log axis. ',
};
function lossNote() {
  $('loss-note').textContent = SCALE_NOTES[lossChart.scale]
    + (lossChart.hidesPoints() ? 'Some objectives have values ≤ 0, which a log scale cannot show. ' : '')
    + 'Objectives measure different things (nats, bits, score errors): compare their shapes, not their heights.';
}

// Only the runs whose pictures changed are redrawn, once per animation frame (the slider redraws all).
const dirty = new Set();
function schedule(run) {
  const wasClean = dirty.size === 0;
  (run ? [run] : runs).forEach((r) => dirty.add(r));
  if (wasClean) {
    requestAnimationFrame(() => {
      dirty.forEach(draw);
      dirty.clear();
    });
  }
}

/** What the slider's place means: noise at the left end, data at the right, a share of the way between. */
function progressText() {
  if (progress === 0) return 'noise';
  if (progress === FRAMES - 1) return 'data';
  return `${Math.round((100 * progress) / (FRAMES - 1))}% of the way to the data`;
}

function draw(run) {
  const { plots, name } = run;
  const { data, forward: f, reverse: r, field: fld, samples: s } = run.state.pictures;
  $('t-value').textContent = progressText();
  slider.setAttribute('aria-valuetext', $('t-value').textContent);
  const fi = f && frameAtProgress(f.ts.length, progress, false);
  const ri = r && frameAtProgress(r.ts.length, progress, run.scoreModel);
  const reverseT = r ? (run.scoreModel ? `k = ${r.ts[ri]}` : `t = ${r.ts[ri]}`) : '';
  run.column.querySelector('[data-role=forward-t]').textContent = f ? `t = ${f.ts[fi]}` : '';
  run.column.querySelector('[data-role=reverse-t]').textContent = reverseT;
  if (f) {
    plots.forward.clear().points(f.clouds[fi], COLORS.forward, 1.8);
    describe(plots.forward, `forward process of ${name} at t = ${f.ts[fi]}`);
  } else plots.forward.placeholder('waiting…');
  if (r) {
    plots.reverse.clear().points(r.clouds[ri], COLORS.reverse, 1.8);
    describe(plots.reverse, `reverse chain of ${name} at ${reverseT}, training step ${r.trainingStep.toLocaleString()}`);
  } else plots.reverse.placeholder('waiting…');
  if (fld) {
    const vi = frameAtProgress(fld.ts.length, progress, false);
    drawQuiver(plots.field, fld, fld.vectors[vi], run.scoreModel || !f ? data : f.clouds[frameAtProgress(f.ts.length, progress, false)]);
    describe(plots.field, `learned score field of ${name}, training step ${fld.trainingStep.toLocaleString()}`);
  } else plots.field.placeholder('waiting…');
  if (s) {
    plots.samples.clear().points(data, COLORS.data, 1.6).points(s.cloud, COLORS.samples, 1.6).paths(s.trajectories);
    describe(plots.samples, `${(s.cloud.length / 2).toLocaleString()} samples of ${name} at training step `
      + `${s.trainingStep.toLocaleString()}, over the training data`);
  } else plots.samples.placeholder('waiting…');
}

/** A picture's text for screen readers: what it shows now. */
function describe(plot, text) {
  if (plot.canvas.getAttribute('aria-label') !== text) plot.canvas.setAttribute('aria-label', text);
}

function setData(run, data) {
  const box = noiseBox(data);
  run.plots.forward.box = run.plots.reverse.box = run.plots.field.box = box;
  run.plots.samples.box = boxAround([data], { margin: 0.3 });
  run.motion.setBox(box);
  run.motion.setData(data);
}

function showStatus(run, s) {
  const state = run.item.querySelector('[data-role=state]');
  state.textContent = s.state === 'done' ? 'finished' : s.state;
  state.className = `state state-${s.state}`;
  const progress = run.item.querySelector('[data-role=progress]');
  progress.textContent = s.state === 'queued' ? `waiting in line (position ${s.queuePosition})`
    : `step ${s.step.toLocaleString()} / ${s.totalSteps.toLocaleString()}`
      + (s.state === 'running' && run.connected ? ` · ${Math.round(s.stepsPerSecond)} steps/s · ${formatDuration(s.etaSeconds)} left` : '')
      + (s.error ? ` · ${s.error}` : '');
}

/** The run's row of the results table: its quality, steps, wall time and speed (the rank comes from rank()). */
function fillRow(run) {
  const s = run.state.status;
  const cell = (role) => run.row.querySelector(`[data-role=${role}]`);
  cell('quality').textContent = run.quality === null ? '–' : formatNumber(run.quality, 4);
  const q = run.state.pictures.quality;
  const best = bestNfe(q);
  cell('best-nfe').textContent = best ? `${best.nfe} (${formatNumber(best.distance, 3)})` : '–';
  cell('best-nfe').title = q ? `${q.sampler}, weights of step ${q.trainingStep.toLocaleString()}` : '';
  cell('straightness').textContent = q && q.straightness !== null ? formatNumber(q.straightness, 3) : '–';
  if (!s) return;
  cell('steps').textContent = `${s.step.toLocaleString()} / ${s.totalSteps.toLocaleString()}`;
  const end = s.finishedAt > 0 ? s.finishedAt : Date.now() - clockOffset;
  const seconds = s.startedAt > 0 && s.state !== 'queued' ? Math.max(0, (end - s.startedAt) / 1000) : null;
  cell('wall').textContent = seconds === null ? '–' : seconds < 10 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
  cell('speed').textContent = seconds > 0 ? Math.round(s.step / seconds).toLocaleString() : '–';
}

/** Ranks the runs by their latest quality (lower is better) and orders the table's rows by it, the floor last. */
function rank() {
  const ranked = runs.filter((r) => r.quality !== null).sort((a, b) => a.quality - b.quality);
  const unranked = runs.filter((r) => r.quality === null);
  ranked.forEach((r, i) => { r.row.querySelector('[data-role=rank]').textContent = String(i + 1); });
  unranked.forEach((r) => { r.row.querySelector('[data-role=rank]').textContent = '–'; });
  const body = $('results-table').tBodies[0];
  const order = [...ranked, ...unranked].map((r) => r.row);
  if (order.some((row, i) => body.rows[i] !== row)) {
    order.forEach((row) => body.append(row));
    body.querySelectorAll('tr.floor').forEach((row) => body.append(row));
  }
}

function lastFinite(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && Number.isFinite(values[i])) return values[i];
  return null;
}

setInterval(() => runs.forEach((run) => {
  if (run.state.status && run.state.status.state === 'running') fillRow(run);
}), 1000);

for (const run of runs) {
  connectLive(run.id, (message) => {
    const { state, changed } = reduce(run.state, message);
    run.state = state;
    if (changed.has('data')) setData(run, state.pictures.data);
    if (changed.has('config')) run.motion.setPath(state.path);
    if (changed.has('motion') && state.pictures.motion) run.motion.setMotion(state.pictures.motion);
    if (changed.has('loss')) {
      lossChart.update(run.id, state.loss);
      if (state.loss.whole) lossNote();
    }
    if (changed.has('metric')) {
      metricChart.update(run.id, state.metric);
      const latest = lastFinite(state.metric.values);
      if (latest !== null || state.metric.whole) run.quality = latest;
      fillRow(run);
      rank();
    }
    if (changed.has('status') || changed.has('quality')) {
      if (changed.has('status')) showStatus(run, state.status);
      fillRow(run);
    }
    if (changed.has('quality') && state.pictures.quality) qualityChart.set(run.id, state.pictures.quality);
    // the run's four plots are redrawn for any picture they show (the motion player draws itself)
    if (Object.keys(PICTURES).some((kind) => kind !== 'motion' && kind !== 'quality' && changed.has(kind))) schedule(run);
  }, (text, connected) => {
    run.connected = connected;
    const ended = run.state.status && run.state.status.terminal;
    if (!connected && !ended) { // an ended run cannot change: its last state stays true
      if (run.state.status) showStatus(run, run.state.status); // the step it got to, without a speed
      const state = run.item.querySelector('[data-role=state]');
      state.textContent = text;
      state.className = 'state';
    }
  });
}
window.addEventListener('resize', () => schedule());
schedule();
