// /compare?runs=a,b,c: every run on its own live socket, its messages reduced to the run's state
// (run-state.js); the loss and quality curves overlaid on shared axes; one t slider for every run's frames
// and fields.

import { formatDuration } from './api.js';
import { connectLive } from './live.js';
import { StepChart } from './loss-chart.js';
import { COLORS, Plot, boxAround, noiseBox } from './point-cloud.js';
import { MotionPlayer } from './motion.js';
import { drawQuiver } from './quiver.js';
import { PICTURES, initialRunState, reduce } from './run-state.js';

const PALETTE = ['#1f5f99', '#c0392b', '#2a9d8f', '#e07a1f', '#6a4c93', '#8c564b', '#b8336a']; // one per loss variant
const $ = (id) => document.getElementById(id);

const lossChart = new StepChart($('loss-chart'), { yLabel: 'loss', log: true, smoothing: 0.6 });
const metricChart = new StepChart($('metric-chart'), { yLabel: 'distance (log scale)', log: true, smoothing: 0, showRaw: false });
const slider = $('t-slider');
let t = 0;

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
    motion: new MotionPlayer(canvas('motion'), { scoreModel: item.dataset.scoreModel === 'true', box: { cx: 0, cy: 0, half: 3.2 } }),
    state: initialRunState(),
  };
});

$('loss-log').addEventListener('change', (e) => { lossChart.setLog(e.target.checked); lossNote(); });
$('loss-smoothing').addEventListener('input', (e) => {
  lossChart.setSmoothing(Number(e.target.value));
  $('loss-smoothing-value').textContent = Number(e.target.value).toFixed(2);
});
slider.addEventListener('input', () => { t = Number(slider.value); schedule(); });

function lossNote() {
  $('loss-note').textContent = (lossChart.hidesPoints() ? 'Some objectives have values ≤ 0, which a log scale cannot show. ' : '')
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

function draw(run) {
  const { plots, name } = run;
  const { data, forward: f, reverse: r, field: fld, samples: s } = run.state.pictures;
  const first = (runs.find((x) => x.state.pictures.forward) || runs[0]).state.pictures.forward;
  $('t-value').textContent = first ? `t = ${first.ts[t]}` : `frame ${t + 1}`;
  slider.setAttribute('aria-valuetext', $('t-value').textContent);
  const reverseT = r ? (run.scoreModel ? `k = ${r.ts[t]}` : `t = ${r.ts[t]}`) : '';
  run.column.querySelector('[data-role=forward-t]').textContent = f ? `t = ${f.ts[t]}` : '';
  run.column.querySelector('[data-role=reverse-t]').textContent = reverseT;
  if (f) {
    plots.forward.clear().points(f.clouds[t], COLORS.forward, 1.8);
    describe(plots.forward, `forward process of ${name} at t = ${f.ts[t]}`);
  } else plots.forward.placeholder('waiting…');
  if (r) {
    plots.reverse.clear().points(r.clouds[t], COLORS.reverse, 1.8);
    describe(plots.reverse, `reverse chain of ${name} at ${reverseT}, training step ${r.trainingStep.toLocaleString()}`);
  } else plots.reverse.placeholder('waiting…');
  if (fld) {
    drawQuiver(plots.field, fld, fld.vectors[t], run.scoreModel || !f ? data : f.clouds[t]);
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
    if (changed.has('metric')) metricChart.update(run.id, state.metric);
    if (changed.has('status')) showStatus(run, state.status);
    // the run's four plots are redrawn for any picture they show (the motion player draws itself)
    if (Object.keys(PICTURES).some((kind) => kind !== 'motion' && changed.has(kind))) schedule(run);
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
