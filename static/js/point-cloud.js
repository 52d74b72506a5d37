// Point clouds on <canvas>: a square view box in data coordinates, faint axes, points as tiny squares
// (2,000 points draw in well under a millisecond), and paths for trajectories.

export const COLORS = {
  data: 'rgba(120, 135, 150, 0.45)',
  forward: '#30638e',
  reverse: '#c0392b',
  samples: '#c0392b',
  path: 'rgba(20, 33, 46, 0.55)',
};

/** A square box {cx, cy, half} around the given clouds, never smaller than `minHalf`. */
export function boxAround(clouds, { margin = 0.12, minHalf = 0 } = {}) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const xy of clouds) {
    if (!xy) continue;
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const x = xy[i], y = xy[i + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
  }
  if (x0 > x1) return { cx: 0, cy: 0, half: Math.max(minHalf, 2) };
  const half = Math.max(minHalf, (1 + margin) * Math.max(x1 - x0, y1 - y0) / 2, 1e-3);
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, half };
}

/** The box the forward frames need: the data, and N(0, I) out to about 3 standard deviations. */
export function noiseBox(data) {
  const box = boxAround([data], { margin: 0.15 });
  const reach = Math.max(Math.abs(box.cx) + box.half, Math.abs(box.cy) + box.half, 3.2);
  return { cx: 0, cy: 0, half: reach };
}

/** Plots whose canvas changed size since they last drew (one observer for the whole page). */
const resized = new WeakSet();
const observer = typeof ResizeObserver === 'undefined' ? null
  : new ResizeObserver((entries) => entries.forEach((e) => resized.add(e.target)));

/**
 * A canvas sized to its CSS box at the screen's pixel density, with a data-to-pixel mapping. The size is
 * read only when the canvas was resized, so drawing many plots never forces a layout.
 */
export class Plot {
  constructor(canvas, box) {
    this.canvas = canvas;
    this.box = box;
    this.ctx = canvas.getContext('2d');
    this.measured = false;
    if (observer) observer.observe(canvas);
  }

  resize() {
    if (this.measured && !resized.has(this.canvas)) {
      this.scale = Math.min(this.w, this.h) / (2 * this.box.half); // the box may have changed
      return;
    }
    resized.delete(this.canvas);
    this.measured = true;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth || this.canvas.width));
    const h = Math.max(1, Math.round(this.canvas.clientHeight || w));
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    this.w = w;
    this.h = h;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.scale = Math.min(w, h) / (2 * this.box.half);
  }

  px(x) { return this.w / 2 + (x - this.box.cx) * this.scale; }
  py(y) { return this.h / 2 - (y - this.box.cy) * this.scale; }

  /** Clears and draws faint axes through the origin. */
  clear() {
    this.resize();
    const c = this.ctx;
    c.clearRect(0, 0, this.w, this.h);
    c.strokeStyle = 'rgba(20, 33, 46, 0.12)';
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(this.px(0), 0); c.lineTo(this.px(0), this.h);
    c.moveTo(0, this.py(0)); c.lineTo(this.w, this.py(0));
    c.stroke();
    return this;
  }

  points(xy, color, size = 2) {
    if (!xy) return this;
    const c = this.ctx;
    c.fillStyle = color;
    const s = size, o = size / 2;
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const x = xy[i], y = xy[i + 1];
      if (x !== x || y !== y) continue; // NaN: missing
      c.fillRect(this.px(x) - o, this.py(y) - o, s, s);
    }
    return this;
  }

  /** Paths [x0, y0, x1, y1, ...], each with a dot at its end. */
  paths(list, color = COLORS.path) {
    if (!list) return this;
    const c = this.ctx;
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 1.3;
    for (const p of list) {
      if (!p || p.length < 4) continue;
      c.beginPath();
      c.moveTo(this.px(p[0]), this.py(p[1]));
      for (let i = 2; i + 1 < p.length; i += 2) c.lineTo(this.px(p[i]), this.py(p[i + 1]));
      c.stroke();
      c.beginPath();
      c.arc(this.px(p[p.length - 2]), this.py(p[p.length - 1]), 3, 0, 2 * Math.PI);
      c.fill();
    }
    return this;
  }

  /** A short text in the top-left corner. */
  label(text) {
    const c = this.ctx;
    c.font = `${Math.max(11, Math.round(this.w / 26))}px system-ui, sans-serif`;
    c.fillStyle = 'rgba(20, 33, 46, 0.8)';
    c.textBaseline = 'top';
    c.fillText(text, 6, 5);
    return this;
  }

  /** A message in the middle, for a picture that is not there yet. */
  placeholder(text) {
    this.clear();
    const c = this.ctx;
    c.font = `${Math.max(11, Math.round(this.w / 24))}px system-ui, sans-serif`;
    c.fillStyle = 'rgba(20, 33, 46, 0.5)';
    c.textAlign = 'center';
    c.textBaseline = 'middle';
    c.fillText(text, this.w / 2, this.h / 2);
    c.textAlign = 'start';
    return this;
  }
}
