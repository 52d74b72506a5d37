// The `points` dataset: the user draws points on a canvas (drag to spray, shift-drag to erase) or uploads
// a CSV with the header x,y. Coordinates are data coordinates in [-2, 2]^2.

import { Plot } from './point-cloud.js';

const HALF = 2;
const MAX_POINTS = 100000;

export class PointsEditor {
  constructor(canvas, countLabel, onChange = () => {}) {
    this.plot = new Plot(canvas, { cx: 0, cy: 0, half: HALF });
    this.countLabel = countLabel;
    this.onChange = onChange;
    this.xy = [];
    this.drawing = false;
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.stroke(e);
    });
    canvas.addEventListener('pointermove', (e) => { if (this.drawing) this.stroke(e); });
    const stop = () => { this.drawing = false; };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
    this.draw();
  }

  /** The points as [[x, y], ...], the API's format. */
  points() {
    const out = [];
    for (let i = 0; i + 1 < this.xy.length; i += 2) out.push([this.xy[i], this.xy[i + 1]]);
    return out;
  }

  clear() {
    this.xy = [];
    this.changed();
  }

  /** Replaces the points with a CSV's ("x,y" lines; a header line and blank lines are skipped). */
  loadCsv(text) {
    const xy = [];
    const lines = text.split(/[\r\n;]+/);
    for (const raw of lines) {
      const line = raw.trim();
      if (!line || /^[A-Za-z]/.test(line)) continue;
      const parts = line.split(/[,\s]+/);
      const x = Number(parts[0]), y = Number(parts[1]);
      if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(`“${line.slice(0, 30)}” is not a line “x,y”`);
      }
      xy.push(x, y);
      if (xy.length / 2 > MAX_POINTS) throw new Error(`at most ${MAX_POINTS.toLocaleString()} points`);
    }
    this.xy = xy;
    this.plot.box = fitBox(xy);
    this.changed();
  }

  stroke(event) {
    this.plot.resize(); // its size when it was last drawn may be stale (the editor starts hidden)
    const canvas = this.plot.canvas;
    const rect = canvas.getBoundingClientRect(); // the border box: the drawing starts inside the border
    const px = event.clientX - rect.left - canvas.clientLeft, py = event.clientY - rect.top - canvas.clientTop;
    const x = this.plot.box.cx + (px - this.plot.w / 2) / this.plot.scale;
    const y = this.plot.box.cy - (py - this.plot.h / 2) / this.plot.scale;
    if (event.shiftKey) {
      const r = 0.15;
      const kept = [];
      for (let i = 0; i < this.xy.length; i += 2) {
        if (Math.hypot(this.xy[i] - x, this.xy[i + 1] - y) > r) kept.push(this.xy[i], this.xy[i + 1]);
      }
      this.xy = kept;
    } else {
      for (let k = 0; k < 3 && this.xy.length / 2 < MAX_POINTS; k++) { // a small spray around the pointer
        const a = 2 * Math.PI * Math.random(), d = 0.05 * Math.sqrt(Math.random());
        this.xy.push(round(x + d * Math.cos(a)), round(y + d * Math.sin(a)));
      }
    }
    this.changed();
  }

  changed() {
    this.countLabel.textContent = `${(this.xy.length / 2).toLocaleString()} points`;
    this.draw();
    this.onChange();
  }

  draw() {
    this.plot.clear().points(this.xy, '#1f5f99', 3);
    if (!this.xy.length) this.plot.label('draw here');
  }
}

function round(v) {
  return Math.round(v * 1e4) / 1e4;
}

function fitBox(xy) {
  let m = HALF;
  for (const v of xy) if (Math.abs(v) * 1.1 > m) m = Math.abs(v) * 1.1;
  return { cx: 0, cy: 0, half: m };
}
