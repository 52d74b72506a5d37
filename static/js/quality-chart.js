// Sample quality against sampling steps (the `quality` picture, docs/PROTOCOL.md): the distance to held-out data
// of the run's deterministic sampler at 1, 2, 4, ... 32 network evaluations (NFE) and its full chain, on a log₂
// NFE axis; one curve per run (the dashboard has one, the compare page overlays them all). Chart.js from the
// app's webjar, as loss-chart.js.

/** How much worse than the run's best a chain may be and still count as reaching it (the results table's rule). */
export const WITHIN = 0.10;

/**
 * The fewest evaluations whose distance is within {@link WITHIN} of the best over the sweep, with that distance,
 * or null before any finite value.
 */
export function bestNfe(quality) {
  if (!quality) return null;
  const finite = quality.distances.map((d, i) => [quality.evaluations[i], d]).filter(([, d]) => Number.isFinite(d));
  if (!finite.length) return null;
  const best = Math.min(...finite.map(([, d]) => d));
  const [nfe, distance] = finite.find(([, d]) => d <= best * (1 + WITHIN));
  return { nfe, distance };
}

/** One paragraph on a `quality` picture: the sampler, where it reaches its best, and how straight its paths are. */
export function describeQuality(q, best) {
  const parts = [`${q.sampler} from the same noise, ${q.points.toLocaleString()} points per chain, weights of training `
    + `step ${q.trainingStep.toLocaleString()}.`];
  if (best) {
    parts.push(`It comes within ${Math.round(WITHIN * 100)}% of its best at ${best.nfe} evaluations (distance `
      + `${Number(best.distance.toPrecision(3))}).`);
  }
  if (q.straightness !== null) {
    parts.push(`Straightness of its full chain's paths: S = ${Number(q.straightness.toPrecision(3))} (mean squared `
      + 'distance from the straight line between noise and sample; 0 is straight).');
  }
  return parts.join(' ');
}

export class QualityChart {
  constructor(canvas) {
    this.series = new Map();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 3.5, hoverRadius: 6 }, line: { borderWidth: 2.5 } },
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'network evaluations (NFE, log scale)', font: { size: 16 } },
               ticks: { font: { size: 15 }, callback: (v) => String(v) },
               afterBuildTicks: (axis) => { axis.ticks = this.nfeTicks(axis.max); } },
          y: { type: 'logarithmic', title: { display: true, text: 'distance (log scale)', font: { size: 16 } },
               ticks: { font: { size: 15 } } },
        },
        plugins: {
          legend: { labels: { font: { size: 15 } } },
          tooltip: {
            titleFont: { size: 15 }, bodyFont: { size: 15 },
            callbacks: {
              title: (items) => (items.length ? `${items[0].parsed.x} evaluations` : ''),
              label: (item) => `${item.dataset.label}: ${Number(item.parsed.y.toPrecision(4))}`,
            },
          },
        },
      },
    });
  }

  /** Ticks at the powers of 2 the sweeps measure and at every full chain drawn. */
  nfeTicks(max) {
    const values = new Set();
    for (let v = 1; v <= Math.min(max, 32); v *= 2) values.add(v);
    this.series.forEach((d) => { if (d.data.length) values.add(d.data[d.data.length - 1].x); });
    return [...values].sort((a, b) => a - b).map((value) => ({ value }));
  }

  /** Declares a curve (one run); `label` is user text, shown by Chart.js as text only. */
  addSeries(id, label, color) {
    const dataset = { label, data: [], borderColor: color, backgroundColor: color };
    this.series.set(id, dataset);
    this.chart.data.datasets.push(dataset);
    this.chart.update('none');
  }

  /** Draws a run's newest `quality` picture. */
  set(id, quality) {
    const dataset = this.series.get(id);
    dataset.data = quality.evaluations.map((x, i) => ({ x, y: quality.distances[i] }))
      .filter((p) => Number.isFinite(p.y) && p.y > 0);
    this.chart.update('none');
  }
}
