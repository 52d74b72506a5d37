// Line charts by training step (Chart.js from the app's webjar, loaded as the global `Chart`): the loss
// with a faint raw curve and a smoothed one, a linear, log or symlog y axis and hover values; several runs can
// share one chart (the compare page). Redraws are throttled (a few a second, whatever the number of runs) and
// long curves are thinned for drawing (LTTB decimation), so an update stays far below 50 ms.

const MAX_POINTS = 4000;
const REDRAW_MS = 300;

/**
 * The symlog axis: y ↦ sign(y) · log₁₀(1 + |y| / C), linear within about ±C of 0 and logarithmic beyond, so
 * that curves below 0 (ssm's loss) and above it (every other) are all drawn on one axis.
 */
export const SYMLOG_C = 0.01;
export const symlog = (y) => Math.sign(y) * Math.log10(1 + Math.abs(y) / SYMLOG_C);
export const symexp = (u) => Math.sign(u) * SYMLOG_C * (Math.pow(10, Math.abs(u)) - 1);
export const SCALE_TITLES = {
  linear: '',
  log: '', // the pages' log charts name it in their label
  symlog: ' (symlog)',
};

/** Ticks of a symlog axis at 0 and ±10^k, 10^k > C, inside [min, max] (both symlog values). */
function symlogTicks(axis) {
  const ticks = [];
  for (let k = Math.round(Math.log10(SYMLOG_C)) + 1; k <= 12; k++) {
    for (const sign of [-1, 1]) {
      const u = symlog(sign * Math.pow(10, k));
      if (u >= axis.min && u <= axis.max) ticks.push({ value: u });
    }
  }
  if (axis.min <= 0 && axis.max >= 0) ticks.push({ value: 0 });
  ticks.sort((a, b) => a.value - b.value);
  const step = Math.ceil(ticks.length / 9); // at most about 9 labels
  axis.ticks = ticks.filter((t, i) => t.value === 0 || i % step === 0);
}

export class StepChart {
  /**
   * @param canvas the <canvas>
   * @param options { yLabel, scale: 'linear' | 'log' | 'symlog' (or log: true), smoothing, showRaw }
   */
  constructor(canvas, { yLabel = 'loss', log = false, scale = log ? 'log' : 'linear', smoothing = 0, showRaw = true } = {}) {
    this.series = new Map();
    this.smoothing = smoothing;
    this.scale = scale;
    this.yLabel = yLabel;
    this.showRaw = showRaw;
    this.pending = false;
    this.lastDraw = 0;
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 4 }, line: { borderJoinStyle: 'round' } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'training step', font: { size: 16 } },
               ticks: { font: { size: 15 } }, min: 0 },
          y: { type: scale === 'log' ? 'logarithmic' : 'linear',
               title: { display: true, text: yLabel + SCALE_TITLES[scale], font: { size: 16 } },
               ticks: { font: { size: 15 }, callback: (value) => formatValue(this.scale === 'symlog' ? symexp(value) : value) },
               afterBuildTicks: (axis) => { if (this.scale === 'symlog') symlogTicks(axis); } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb', samples: 500, threshold: 1000 },
          legend: { labels: { font: { size: 15 }, filter: (item, data) => !data.datasets[item.datasetIndex].raw } },
          tooltip: {
            titleFont: { size: 15 }, bodyFont: { size: 15 },
            filter: (item) => !item.dataset.raw || !this.smoothingActive(),
            callbacks: {
              title: (items) => items.length ? `step ${Math.round(items[0].parsed.x).toLocaleString()}` : '',
              label: (item) => `${item.dataset.label}: ${formatValue(this.scale === 'symlog' ? symexp(item.parsed.y) : item.parsed.y)}`,
            },
          },
        },
      },
    });
  }

  /** Declares a series (one run); `label` is user text, shown by Chart.js as text only. */
  addSeries(id, label, color) {
    const raw = { label: `${label} (raw)`, raw: true, data: [], borderColor: withAlpha(color, 0.28), borderWidth: 1.5,
                  backgroundColor: color };
    const smooth = { label, raw: false, data: [], borderColor: color, borderWidth: 3, backgroundColor: color };
    this.series.set(id, { steps: [], values: [], raw, smooth });
    this.chart.data.datasets.push(raw, smooth);
    this.redraw();
  }

  /** Replaces a series' points (a snapshot). */
  set(id, steps, values) {
    const s = this.series.get(id);
    s.steps = Array.from(steps);
    s.values = Array.from(values, (v) => (v === null ? NaN : v));
    this.rebuild(s);
  }

  /** Appends points (an increment). */
  append(id, steps, values) {
    const s = this.series.get(id);
    for (let i = 0; i < steps.length; i++) {
      s.steps.push(steps[i]);
      s.values.push(values[i] === null ? NaN : values[i]);
    }
    if (s.steps.length > MAX_POINTS) {
      s.steps.splice(0, s.steps.length - MAX_POINTS);
      s.values.splice(0, s.values.length - MAX_POINTS);
    }
    this.rebuild(s);
  }

  /** Draws a curve as a run's state holds it (run-state.js): the whole curve so far, or points to append. */
  update(id, { steps, values, whole }) {
    if (whole) this.set(id, steps, values); else this.append(id, steps, values);
  }

  setLog(log) {
    this.setScale(log ? 'log' : 'linear');
  }

  /** 'linear', 'log' (hides values <= 0) or 'symlog' (draws every finite value); the axis title says which. */
  setScale(scale) {
    this.scale = scale;
    const y = this.chart.options.scales.y;
    y.type = scale === 'log' ? 'logarithmic' : 'linear';
    y.title.text = this.yLabel + SCALE_TITLES[scale];
    this.series.forEach((s) => this.rebuild(s));
  }

  setSmoothing(smoothing) {
    this.smoothing = smoothing;
    this.series.forEach((s) => this.rebuild(s));
  }

  /** Whether a log scale hides points (values <= 0). */
  hidesPoints() {
    if (this.scale !== 'log') return false;
    for (const s of this.series.values()) if (s.values.some((v) => v <= 0)) return true;
    return false;
  }

  smoothingActive() {
    return this.smoothing > 0;
  }

  /** The points a series draws: on a symlog axis its values go through {@link symlog} (its ticks undo it). */
  rebuild(s) {
    const log = this.scale === 'log';
    const keep = (v) => Number.isFinite(v) && (!log || v > 0);
    const y = this.scale === 'symlog' ? symlog : (v) => v;
    const raw = [];
    for (let i = 0; i < s.steps.length; i++) if (keep(s.values[i])) raw.push({ x: s.steps[i], y: y(s.values[i]) });
    s.raw.data = this.showRaw && this.smoothingActive() ? raw : [];
    s.smooth.data = this.smoothingActive() ? smooth(raw, this.smoothing, log) : raw;
    this.redraw();
  }

  /** How many points each series draws, by series id (its smoothed curve). */
  drawnPoints() {
    return Object.fromEntries([...this.series].map(([id, s]) => [id, s.smooth.data.length]));
  }

  redraw() {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      this.pending = false;
      this.lastDraw = performance.now();
      this.chart.update('none');
    }), wait);
  }
}

/** TensorBoard's debiased exponential moving average (in log space on a log scale). */
function smooth(points, weight, log) {
  const out = new Array(points.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < points.length; i++) {
    const y = log ? Math.log(points[i].y) : points[i].y;
    last = last * weight + (1 - weight) * y;
    count++;
    const debiased = last / (1 - Math.pow(weight, count));
    out[i] = { x: points[i].x, y: log ? Math.exp(debiased) : debiased };
  }
  return out;
}

function formatValue(y) {
  if (!Number.isFinite(y)) return '–';
  const abs = Math.abs(y);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? y.toExponential(3) : Number(y.toPrecision(5)).toString();
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
