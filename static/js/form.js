// `/`: presets fill the form, fields that do not matter for the current choices are dimmed, the schedule's
// alphaBar_T is shown as you type. Each field's range is checked here first, every error at once; the server
// checks everything again (and the rules that tie fields together), and its error appears next to the field.

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
    if (button.dataset.needsParent === 'true') offerFlows();
  });
});

/** A reflow's parents: the finished flow_matching runs as they are now, the newest chosen. */
async function offerFlows() {
  const select = form.elements.reflowFrom;
  let runs;
  try {
    runs = await api('GET', '/api/runs');
  } catch {
    return; // the options the page came with stay
  }
  const flows = runs.filter((r) => r.objective === 'flow_matching' && r.state === 'done');
  select.replaceChildren(new Option(flows.length ? '(none)' : '(no finished flow_matching run yet)', ''),
    ...flows.map((r) => new Option(`${r.name} (${r.id})`, r.id)));
  const chosen = document.querySelector('.preset.selected');
  if (flows.length && chosen && chosen.dataset.needsParent === 'true') select.value = flows[0].id;
}

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

// --- errors next to their field, and all of them at the top -------------------------------------

const summary = document.getElementById('error-summary');

/** What is wrong with a number field's value, in the form's words ("Last beta must be at most 0.999"), or null. */
function problem(input) {
  if (input.type !== 'number') return null;
  const label = input.closest('.field').querySelector('.label').textContent;
  if (input.validity.badInput) return `${label} must be a number`;
  if (input.value.trim() === '') return null; // blank: the preset's value applies
  const value = Number(input.value);
  const min = Number(input.min);
  const max = Number(input.max);
  const minExcluded = input.hasAttribute('data-min-excluded');
  const maxExcluded = input.hasAttribute('data-max-excluded');
  if (input.step === '1' && !Number.isInteger(value)) return `${label} must be a whole number`;
  if (minExcluded ? value <= min : value < min) return `${label} must be ${minExcluded ? 'greater than' : 'at least'} ${input.min}`;
  if (maxExcluded ? value >= max : value > max) return `${label} must be ${maxExcluded ? 'less than' : 'at most'} ${input.max}`;
  return null;
}

/** Every field's problem, in the order of the form. */
function problems() {
  return [...form.elements]
    .map((input) => ({ field: input.name, message: problem(input) }))
    .filter((error) => error.message);
}

function errorSlot(field) {
  const box = field && (document.querySelector(`.field[data-field="${CSS.escape(field)}"]`)
    || document.querySelector(`[data-error-for="${CSS.escape(field)}"]`));
  if (!box) return null;
  return { box, message: box.classList.contains('field-error') ? box : box.querySelector('.field-error') };
}

/**
 * Shows each error next to its field and lists them all above the form, with links to the fields; the list
 * takes the focus, so a screen reader reads it and the keyboard starts from there. An error that names no
 * field of the form goes next to the buttons.
 */
function report(errors) {
  const list = summary.querySelector('ul');
  list.replaceChildren();
  for (const error of errors) {
    const slot = errorSlot(error.field);
    if (!slot) {
      formError.textContent = error.field ? `${error.field}: ${error.message}` : error.message;
      formError.hidden = false;
      continue;
    }
    slot.box.classList.add('invalid');
    slot.message.textContent = error.message;
    slot.message.hidden = false;
    const input = form.elements[error.field];
    if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#${input && input.id ? input.id : slot.box.closest('[id]').id}`;
    link.textContent = error.message;
    item.append(link);
    list.append(item);
  }
  const n = list.children.length;
  summary.hidden = n === 0;
  if (n === 0) return;
  summary.querySelector('h2').textContent = n === 1 ? 'One field needs a change' : `${n} fields need a change`;
  summary.scrollIntoView({ block: 'start', behavior: 'smooth' });
  summary.focus({ preventScroll: true });
}

function clearError(field) {
  const slot = errorSlot(field);
  if (slot) {
    slot.box.classList.remove('invalid');
    slot.message.hidden = true;
  }
  const input = form.elements[field];
  if (input && input.removeAttribute) input.removeAttribute('aria-invalid');
  formError.hidden = true;
}

function clearErrors() {
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; });
  document.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  formError.hidden = true;
  summary.hidden = true;
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
    report([error]);
  } finally {
    button.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors();
  const errors = problems();
  if (errors.length) report(errors);
  else start(document.getElementById('start'), '/api/runs', config());
});

document.getElementById('loss-variants').addEventListener('click', (event) => {
  const fields = ['dataset', 'datasetSize', 'datasetNoise', 'seed', 'steps']; // one training budget for all
  clearErrors();
  const errors = problems().filter((error) => fields.includes(error.field));
  if (errors.length) report(errors);
  else start(event.currentTarget, '/api/compare/loss-variants', config(fields));
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
    report([{ field: 'points', message: `${file.name}: ${error.message}` }]);
  }
});
document.getElementById('points-clear').addEventListener('click', () => editor.clear());

new RunsList(document.getElementById('runs-body'), document.getElementById('runs-empty'),
  document.getElementById('compare-selected')).start();
update();
