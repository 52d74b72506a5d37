// `/`: presets fill the form, fields that do not matter for the current choices are dimmed, the schedule's
// alphaBar_T is shown as you type, the server validates everything and its error appears next to the field.

import { api } from './api.js';
import { PointsEditor } from './points-editor.js';
import { SchedulePreview } from './schedule-preview.js';
import { RunsList } from './runs-list.js';

const form = document.getElementById('run-form');
const formError = document.getElementById('form-error');
const pointsBox = document.getElementById('points-editor');
const editor = new PointsEditor(document.getElementById('points-canvas'), document.getElementById('points-count'),
  () => clearError('points'));
const preview = new SchedulePreview(form, document.getElementById('schedule-preview'));

// --- presets and relevance ---------------------------------------------------------------------

document.querySelectorAll('.preset').forEach((button) => {
  button.addEventListener('click', () => {
    const config = JSON.parse(button.dataset.config);
    for (const element of form.elements) {
      if (!element.name || element.type === 'file' || element.name === 'name') continue;
      const value = config[element.name];
      element.value = value === undefined || value === null ? '' : String(value);
    }
    form.elements.preset.value = button.dataset.preset;
    document.querySelectorAll('.preset').forEach((b) => b.classList.toggle('selected', b === button));
    clearErrors();
    update();
  });
});

/** "objective:dsm", "schedule:!cosine", "sampler:langevin;objective:dsm,ssm" (any clause). */
function relevant(when) {
  if (!when) return true;
  return when.split(';').some((clause) => {
    const [name, spec] = clause.split(':');
    const negate = spec.startsWith('!');
    const values = (negate ? spec.slice(1) : spec).split(',');
    const current = form.elements[name] ? form.elements[name].value : '';
    return values.includes(current) !== negate;
  });
}

function update() {
  document.querySelectorAll('.field[data-when]').forEach((field) => {
    field.classList.toggle('irrelevant', !relevant(field.dataset.when));
  });
  pointsBox.hidden = form.elements.dataset.value !== 'points';
  preview.refresh();
}

form.addEventListener('input', (event) => {
  if (event.target.name) clearError(event.target.name);
  if (['dataset', 'objective', 'schedule', 'sampler', 'timesteps', 'betaStart', 'betaEnd'].includes(event.target.name)) {
    update();
  }
});
form.addEventListener('change', update);

// --- errors next to their field -------------------------------------------------------------------

function errorSlot(field) {
  const box = field && (document.querySelector(`.field[data-field="${CSS.escape(field)}"]`)
    || document.querySelector(`[data-error-for="${CSS.escape(field)}"]`));
  if (!box) return null;
  return { box, message: box.classList.contains('field-error') ? box : box.querySelector('.field-error') };
}

function showError(error) {
  const slot = errorSlot(error.field);
  if (slot) {
    slot.box.classList.add('invalid');
    slot.message.textContent = error.message;
    slot.message.hidden = false;
    const input = form.elements[error.field];
    (input && input.focus ? input : slot.box).scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (input && input.focus) input.focus({ preventScroll: true });
  } else {
    formError.textContent = error.field ? `${error.field}: ${error.message}` : error.message;
    formError.hidden = false;
  }
}

function clearError(field) {
  const slot = errorSlot(field);
  if (slot) {
    slot.box.classList.remove('invalid');
    slot.message.hidden = true;
  }
  formError.hidden = true;
}

function clearErrors() {
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; });
  formError.hidden = true;
}

// --- starting runs ---------------------------------------------------------------------------------

/** The form as a config: blank fields are left out (the preset's value applies); numbers as numbers. */
function config(only) {
  const json = {};
  for (const element of form.elements) {
    if (!element.name || element.type === 'file' || (only && !only.includes(element.name))) continue;
    const raw = element.value.trim();
    if (raw === '') continue;
    json[element.name] = element.type === 'number' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  if (form.elements.dataset.value === 'points') json.points = editor.points();
  return json;
}

async function start(button, url, body) {
  clearErrors();
  button.disabled = true;
  try {
    const created = await api('POST', url, body);
    location.href = created.url;
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  start(document.getElementById('start'), '/api/runs', config());
});

document.getElementById('loss-variants').addEventListener('click', (event) => {
  start(event.currentTarget, '/api/compare/loss-variants',
    config(['dataset', 'datasetSize', 'datasetNoise', 'seed']));
});

document.getElementById('config-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  start(document.getElementById('start'), '/api/runs', await file.text());
});

document.getElementById('points-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  try {
    editor.loadCsv(await file.text());
  } catch (error) {
    showError({ field: 'points', message: `${file.name}: ${error.message}` });
  }
});
document.getElementById('points-clear').addEventListener('click', () => editor.clear());

new RunsList(document.getElementById('runs-body'), document.getElementById('runs-empty'),
  document.getElementById('compare-selected')).start();
update();
