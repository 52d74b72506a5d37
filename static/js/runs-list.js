// The list of runs on `/`: refreshed every few seconds from GET /api/runs; pick up to 4 to compare.
// Names are user text: they only ever go into textContent. A refresh keeps every row (the server's or its own)
// and writes only what changed, so a list of a hundred runs costs the page next to nothing while one trains.

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
    const existing = new Map([...this.body.rows].map((tr) => [tr.dataset.id, tr]));
    const rows = runs.map((r) => {
      const tr = existing.get(r.id);
      if (!tr || tr.cells.length !== 7) return this.row(r);
      update(tr, r);
      return tr;
    });
    const keep = new Set(rows);
    for (const tr of [...this.body.rows]) if (!keep.has(tr)) tr.remove();
    rows.forEach((tr, i) => {
      if (this.body.rows[i] !== tr) this.body.insertBefore(tr, this.body.rows[i] || null);
    });
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
    link(cell(tr, 'name'), r.url, r.name);
    cell(tr, 'objective').textContent = r.objective;
    cell(tr, 'dataset').textContent = r.dataset;
    const state = document.createElement('span');
    state.className = `state state-${r.state}`;
    state.textContent = r.state;
    cell(tr, 'run-state').append(state);
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = percent(r);
    const count = document.createElement('span');
    count.className = 'muted';
    count.textContent = `${r.step} / ${r.totalSteps}`;
    cell(tr, 'progress').append(progress, ' ', count);
    const files = cell(tr, 'files');
    link(files, `/api/runs/${r.id}/loss.csv`, 'loss');
    files.append(' · ');
    link(files, `/api/runs/${r.id}/config.json`, 'config');
    return tr;
  }
}

// Brings a row (as row() or the page's template makes it) up to date, touching only what changed.
function update(tr, r) {
  const [, name, objective, dataset, state, progress] = tr.cells;
  setText(name.querySelector('a'), r.name);
  setText(objective, r.objective);
  setText(dataset, r.dataset);
  const badge = state.querySelector('span');
  setText(badge, r.state);
  if (badge.className !== `state state-${r.state}`) badge.className = `state state-${r.state}`;
  const bar = progress.querySelector('progress');
  if (Math.floor(bar.value) !== Math.floor(percent(r))) bar.value = percent(r);
  setText(progress.querySelector('span'), `${r.step} / ${r.totalSteps}`);
  const box = tr.cells[0].querySelector('input');
  if (box.getAttribute('aria-label') !== `select ${r.name}`) box.setAttribute('aria-label', `select ${r.name}`);
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function percent(r) {
  return r.totalSteps > 0 ? Math.min(100, (100 * r.step) / r.totalSteps) : 0;
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
