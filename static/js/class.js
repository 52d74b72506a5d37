// /class: the teacher's class view. Every run as a card (a thumbnail of its samples, name, objective, state,
// quality and who started it) from GET /api/class/runs every few seconds: one small request for the whole class
// instead of a live socket per run. Pause, resume or stop them all; let students start runs or not, and cap them.
// Names are user text: they only ever go into textContent.

import { api, formatNumber } from './api.js';
import { COLORS, Plot, boxAround } from './point-cloud.js';
import { startPresenting } from './presenting.js';
import { unpackCloud } from './wire.js';

const PERIOD_MS = 3000;
const $ = (id) => document.getElementById(id);
const grid = $('class-runs');
const cards = new Map(); // run id -> {element, plot, picture}

// --- presenting ----------------------------------------------------------------------------------

const link = $('follow-link');
link.value = `${location.origin}/class/follow`;
$('copy-follow-link').addEventListener('click', async () => {
  try { await navigator.clipboard.writeText(link.value); } catch (e) { link.select(); document.execCommand('copy'); }
  $('copy-follow-link').textContent = 'Copied';
  setTimeout(() => { $('copy-follow-link').textContent = 'Copy'; }, 1500);
});
$('start-presenting').addEventListener('click', () => startPresenting('/'));

// --- every run -----------------------------------------------------------------------------------

const BULK_DONE = { pause: 'Paused', resume: 'Resumed', stop: 'Stopped' };

document.querySelectorAll('[data-bulk]').forEach((button) => button.addEventListener('click', async () => {
  const result = $('bulk-result');
  try {
    const answer = await api('POST', `/api/class/${button.dataset.bulk}`);
    result.textContent = `${BULK_DONE[answer.action]} ${answer.changed} of ${answer.runs} runs.`;
    refresh();
  } catch (e) {
    result.textContent = e.message;
  }
}));

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

function card(run) {
  const article = element('article', 'class-run card');
  article.dataset.id = run.id;
  const canvas = element('canvas', 'plot class-thumb');
  canvas.setAttribute('role', 'img');
  const title = element('h3', 'class-run-name');
  const a = element('a');
  a.href = run.url;
  title.append(a);
  const meta = element('p', 'meta');
  const objective = element('span', 'badge');
  const state = element('span', 'state');
  meta.append(objective, state);
  const details = element('p', 'class-run-details');
  const progress = element('span', 'class-run-progress');
  const quality = element('span', 'class-run-quality');
  details.append(progress, quality);
  const owner = element('p', 'class-run-owner muted');
  const present = element('button', 'secondary class-run-present', 'Present');
  present.type = 'button';
  present.addEventListener('click', () => startPresenting(`${run.url}?view=projector`));
  article.append(canvas, title, meta, details, owner, present);
  return { element: article, plot: new Plot(canvas, { cx: 0, cy: 0, half: 2 }), picture: null,
    parts: { a, objective, state, progress, quality, owner, canvas } };
}

function update(c, run) {
  const { a, objective, state, progress, quality, owner, canvas } = c.parts;
  setText(a, run.name);
  setText(objective, run.objective);
  setText(state, run.state);
  if (state.className !== `state state-${run.state}`) state.className = `state state-${run.state}`;
  setText(progress, `step ${run.step.toLocaleString()} / ${run.totalSteps.toLocaleString()}`);
  setText(quality, run.quality === null ? 'quality –' : `quality ${formatNumber(run.quality, 3)}`);
  setText(owner, `started by ${run.owner}`);
  const key = run.picture && run.picture.q;
  if (key !== c.picture) { // redraw only a picture that changed
    c.picture = key;
    const cloud = unpackCloud(run.picture);
    c.plot.box = boxAround([cloud], { margin: 0.2 });
    const samples = run.pictureOf === 'samples';
    if (cloud) c.plot.clear().points(cloud, samples ? COLORS.samples : COLORS.data, 2.4);
    else c.plot.placeholder('no picture yet');
    canvas.setAttribute('aria-label', `${run.name}: ${samples ? 'its newest samples' : 'no samples yet'}`);
  }
}

function render(runs) {
  $('class-empty').hidden = runs.length > 0;
  const seen = new Set();
  runs.forEach((run, i) => {
    seen.add(run.id);
    let c = cards.get(run.id);
    if (!c) {
      c = card(run);
      cards.set(run.id, c);
    }
    if (grid.children[i] !== c.element) grid.insertBefore(c.element, grid.children[i] || null);
    update(c, run);
  });
  for (const [id, c] of cards) {
    if (!seen.has(id)) {
      c.element.remove();
      cards.delete(id);
    }
  }
}

let timer = null;
async function refresh() {
  clearTimeout(timer);
  try { render(await api('GET', '/api/class/runs')); } catch (e) { /* keep the last cards */ }
  timer = setTimeout(refresh, document.hidden ? 4 * PERIOD_MS : PERIOD_MS);
}

// --- what students may do ------------------------------------------------------------------------

const open = $('students-may-start');
const cap = $('active-runs-cap');
const settingsError = $('settings-error');

function showSettings(settings) {
  open.checked = settings.studentsMayStart;
  cap.value = settings.activeRunsPerClient === null ? '' : String(settings.activeRunsPerClient);
}

async function saveSettings() {
  settingsError.hidden = true;
  const value = cap.value.trim();
  try {
    showSettings(await api('POST', '/api/class/settings', {
      studentsMayStart: open.checked,
      activeRunsPerClient: value === '' ? null : Number(value),
    }));
  } catch (e) {
    settingsError.textContent = e.message;
    settingsError.hidden = false;
  }
}

open.addEventListener('change', saveSettings);
cap.addEventListener('change', saveSettings);
$('class-settings').addEventListener('submit', (e) => { e.preventDefault(); saveSettings(); });

api('GET', '/api/class').then((state) => showSettings(state.settings)).catch(() => {});
refresh();
