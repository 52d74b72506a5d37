// The list of runs on `/`: refreshed every few seconds from GET /api/runs; pick up to 4 to compare.
// Names are user text: they only ever go into textContent.

import { api } from './api.js';

const MAX_COMPARE = 4;

export class RunsList {
  constructor(body, empty, compareButton) {
    this.body = body;
    this.empty = empty;
    this.compareButton = compareButton;
    this.selected = new Set();
    body.addEventListener('change', (e) => {
      if (e.target.type !== 'checkbox') return;
      if (e.target.checked) this.selected.add(e.target.value); else this.selected.delete(e.target.value);
      this.updateButton();
    });
    compareButton.addEventListener('click', () => {
      location.href = `/compare?runs=${[...this.selected].join(',')}`;
    });
    this.updateButton();
  }

  start(periodMs = 3000) {
    const tick = async () => {
      try { this.render(await api('GET', '/api/runs')); } catch (e) { /* keep the last list */ }
      setTimeout(tick, document.hidden ? 4 * periodMs : periodMs);
    };
    setTimeout(tick, periodMs);
  }

  updateButton() {
    const n = this.selected.size;
    this.compareButton.disabled = n < 1 || n > MAX_COMPARE;
    this.compareButton.textContent = n > MAX_COMPARE ? `Compare (at most ${MAX_COMPARE})` : `Compare selected (${n})`;
  }

  render(runs) {
    this.empty.hidden = runs.length > 0;
    const rows = runs.map((r) => this.row(r));
    this.body.replaceChildren(...rows);
    for (const id of [...this.selected]) if (!runs.some((r) => r.id === id)) this.selected.delete(id);
    this.updateButton();
  }

  row(r) {
    const tr = document.createElement('tr');
    tr.dataset.id = r.id;
    const pick = cell(tr, 'pick');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = r.id;
    box.checked = this.selected.has(r.id);
    box.setAttribute('aria-label', `select ${r.name}`);
    pick.append(box);
    link(cell(tr), r.url, r.name);
    cell(tr).textContent = r.objective;
    cell(tr).textContent = r.dataset;
    const state = document.createElement('span');
    state.className = `state state-${r.state}`;
    state.textContent = r.state;
    cell(tr).append(state);
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = r.totalSteps > 0 ? Math.min(100, (100 * r.step) / r.totalSteps) : 0;
    const count = document.createElement('span');
    count.className = 'muted';
    count.textContent = ` ${r.step} / ${r.totalSteps}`;
    cell(tr).append(progress, count);
    const files = cell(tr, 'files');
    link(files, `/api/runs/${r.id}/loss.csv`, 'loss');
    files.append(' · ');
    link(files, `/api/runs/${r.id}/config.json`, 'config');
    return tr;
  }
}

function cell(tr, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  tr.append(td);
  return td;
}

function link(parent, href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  parent.append(a);
  return a;
}
