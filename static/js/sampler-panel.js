// "Try the sampler": points on demand from the run's latest weights (GET /api/runs/{id}/sample), to put
// ancestral sampling next to DDIM or DPM-Solver++ with few steps, Euler next to Heun for a flow, Langevin settings
// side by side, and EMA next to raw weights.

import { api, debounce, formatNumber } from './api.js';
import { COLORS, Plot } from './point-cloud.js';
import { unpackAll, unpackCloud } from './wire.js';

/** The samplers whose number of steps the panel's slider sets (the ancestral chain always takes T). */
const STEPPED = new Set(['ddim', 'dpm_solver_2m', 'euler', 'heun']);

export class SamplerPanel {
  constructor(runId, scoreModel) {
    this.runId = runId;
    this.scoreModel = scoreModel;
    this.form = document.getElementById('sampler-form');
    this.caption = document.getElementById('sampler-caption');
    this.error = document.getElementById('sampler-error');
    this.button = this.form.querySelector('button[type=submit]');
    this.plot = new Plot(document.getElementById('sampler-canvas'), { cx: 0, cy: 0, half: 2 });
    this.data = null;
    this.result = null;
    this.available = false;
    this.busy = false;
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.sample(); });
    const again = debounce(() => { if (this.result) this.sample(); }, 350);
    this.form.addEventListener('input', () => { this.showValues(); again(); });
    this.showValues();
    this.setAvailable(false);
  }

  setData(data, box) {
    this.data = data;
    this.plot.box = box;
    this.draw();
  }

  setAvailable(available) {
    this.available = available;
    this.button.disabled = !available || this.busy;
    if (!available && !this.result) this.caption.textContent = 'The sampler is ready once the run has trained for a moment.';
    else if (!this.result) this.caption.textContent = 'Press “Sample” to draw points from the model, with 16 of their paths.';
  }

  value(name) {
    const input = this.form.elements[name];
    return input ? input.value : null;
  }

  showValues() {
    const steps = this.form.elements.sampleSteps;
    if (steps) document.getElementById('steps-value').textContent = steps.value;
    const eta = this.form.elements.eta;
    if (eta) document.getElementById('eta-value').textContent = Number(eta.value).toFixed(1);
    const exp = this.form.elements.langevinStepSizeExp;
    if (exp) document.getElementById('stepsize-value').textContent = formatNumber(10 ** Number(exp.value), 2);
    if (!this.scoreModel) {
      const ddim = this.value('sampler') === 'ddim';
      document.getElementById('ddim-steps').classList.toggle('irrelevant', !STEPPED.has(this.value('sampler')));
      const eta = document.getElementById('ddim-eta'); // a flow model has none
      if (eta) eta.classList.toggle('irrelevant', !ddim);
    }
  }

  query() {
    const q = new URLSearchParams({ n: '2000', weights: this.value('weights'), sampler: this.value('sampler') });
    if (this.scoreModel) {
      q.set('sampleSteps', this.value('sampleSteps'));
      q.set('langevinStepSize', String(10 ** Number(this.value('langevinStepSizeExp'))));
    } else if (this.value('sampler') === 'ddim') {
      q.set('sampleSteps', this.value('sampleSteps'));
      q.set('eta', this.value('eta'));
    } else if (STEPPED.has(this.value('sampler'))) {
      q.set('sampleSteps', this.value('sampleSteps'));
    }
    return q;
  }

  async sample() {
    if (!this.available || this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    this.error.hidden = true;
    this.caption.textContent = 'sampling…';
    try {
      const r = await api('GET', `/api/runs/${this.runId}/sample?${this.query()}`);
      this.result = { ...r, cloud: unpackCloud(r.cloud), trajectories: unpackAll(r.trajectories) };
      this.draw();
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = e.message;
      this.caption.textContent = '';
    } finally {
      this.busy = false;
      this.button.disabled = !this.available;
    }
  }

  draw() {
    this.plot.clear().points(this.data, COLORS.data, 2);
    const r = this.result;
    if (!r) return;
    this.plot.points(r.cloud, COLORS.samples, 2).paths(r.trajectories);
    const weights = r.weights === 'ema' ? 'θ_EMA' : 'raw θ';
    const steps = r.sampler === 'ancestral' ? `T = ${r.sampleSteps} steps`
      : r.sampler === 'ddim' || r.sampler === 'dpm_solver_2m' ? `S = ${r.sampleSteps} steps`
        : r.sampler === 'euler' || r.sampler === 'heun' ? `N = ${r.sampleSteps} steps` : `K = ${r.sampleSteps} iterations`;
    this.plot.canvas.setAttribute('aria-label', `${r.n.toLocaleString()} samples by ${r.sampler} from ${weights} at `
      + `training step ${r.trainingStep.toLocaleString()}, over the training data`);
    this.caption.textContent = `${r.n.toLocaleString()} samples by ${r.sampler} (${steps}) from ${weights} at training step `
      + `${r.trainingStep.toLocaleString()}, in ${(r.millis / 1000).toFixed(2)} s · sliced Wasserstein to the data: `
      + `${formatNumber(r.distanceToData, 3)} · lines: 16 paths through the chain`;
  }
}
