// alphaBar_t of the schedule being edited, computed on the server by the engine's own NoiseSchedule
// (GET /api/schedule), drawn as a small curve with alphaBar_T and a warning when x_T is not noise.

import { api, debounce, formatNumber } from './api.js';

export class SchedulePreview {
  constructor(form, box) {
    this.form = form;
    this.box = box;
    this.canvas = box.querySelector('canvas');
    this.value = box.querySelector('#alphabar-value');
    this.message = box.querySelector('#alphabar-message');
    this.refresh = debounce(() => this.load(), 200);
    this.requestId = 0;
  }

  async load() {
    const q = new URLSearchParams();
    const fields = ['schedule', 'timesteps', 'betaStart', 'betaEnd'].map((name) => this.form.elements[name]);
    for (const element of fields) {
      const v = element.value.trim();
      if (v) q.set(element.name, v);
    }
    const id = ++this.requestId;
    // A value outside its field's range (T = 1 on the way to T = 100) is not worth a 400 from the server.
    const invalid = fields.find((element) => !element.validity.valid);
    if (invalid) {
      this.showError(`${invalid.name}: ${invalid.validationMessage}`);
      return;
    }
    try {
      const s = await api('GET', `/api/schedule?${q}`);
      if (id !== this.requestId) return;
      this.value.textContent = formatNumber(s.alphaBarT, 3) + `  (signal √ᾱ_T = ${formatNumber(s.signalStd, 3)})`;
      this.message.textContent = s.message;
      this.box.classList.toggle('warn', !s.reachesNoise);
      this.box.classList.toggle('ok', s.reachesNoise);
      this.draw(s);
    } catch (e) {
      if (id !== this.requestId) return;
      this.showError(e.message);
    }
  }

  showError(text) {
    this.value.textContent = '–';
    this.message.textContent = text;
    this.box.classList.add('warn');
    this.box.classList.remove('ok');
  }

  draw(s) {
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth || 360, h = this.canvas.clientHeight || 120;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    const c = this.canvas.getContext('2d');
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, w, h);
    const left = 34, bottom = h - 20, top = 8, right = w - 8;
    c.strokeStyle = '#9aa7b4';
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(left, top); c.lineTo(left, bottom); c.lineTo(right, bottom);
    c.stroke();
    c.fillStyle = '#5b6b7a';
    c.font = '12px system-ui, sans-serif';
    c.fillText('1', left - 14, top + 8);
    c.fillText('0', left - 14, bottom);
    c.fillText('t = 1', left, h - 4);
    c.fillText(`T = ${s.timesteps}`, right - 52, h - 4);
    c.fillText('ᾱ_t', left + 6, top + 12);
    c.strokeStyle = s.reachesNoise ? '#1e7b45' : '#a65d00';
    c.lineWidth = 2.5;
    c.beginPath();
    const n = s.alphaBar.length;
    s.alphaBar.forEach((a, i) => {
      const x = left + (n === 1 ? 0 : i / (n - 1)) * (right - left);
      const y = bottom - a * (bottom - top);
      if (i === 0) c.moveTo(x, y); else c.lineTo(x, y);
    });
    c.stroke();
  }
}
