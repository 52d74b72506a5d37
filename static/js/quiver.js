// The learned score field as a quiver plot on <canvas>: one arrow per grid point, all of one length (most of a
// grid cell) so the direction reads at every t, coloured by magnitude on a log scale (the score's size changes
// by orders of magnitude with t and with the distance to the data), with a colour legend, over a background
// cloud in grey (the forward cloud x_t at the field's t).

const BACKGROUND = 'rgba(120, 135, 150, 0.35)';

/**
 * Draws `vectors` ([size*size, 2], row-major with y outer) on the grid over [min, max]^2 into `plot`, over
 * `background`, with a legend of |s| in the bottom-right corner.
 */
export function drawQuiver(plot, field, vectors, background) {
  plot.clear();
  if (background) plot.points(background, BACKGROUND, 1.6);
  if (!vectors) return;
  const n = field.size;
  const step = (field.max - field.min) / (n - 1);
  const cell = step * plot.scale;
  let low = Infinity, high = 0;
  for (let k = 0; k < n * n; k++) {
    const norm = Math.hypot(vectors[2 * k], vectors[2 * k + 1]);
    if (Number.isFinite(norm) && norm > 0) {
      low = Math.min(low, norm);
      high = Math.max(high, norm);
    }
  }
  if (!(high > 0)) return;
  const logLow = Math.log(low), logSpan = Math.max(1e-9, Math.log(high) - logLow);
  const ctx = plot.ctx;
  const len = 0.8 * cell;
  ctx.lineWidth = Math.max(1.1, cell / 14);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const k = iy * n + ix;
      const u = vectors[2 * k], v = vectors[2 * k + 1];
      const norm = Math.hypot(u, v);
      if (!Number.isFinite(norm) || norm === 0) continue;
      const x = plot.px(field.min + ix * step);
      const y = plot.py(field.min + iy * step);
      const dx = (u / norm) * len, dy = -(v / norm) * len;
      ctx.strokeStyle = ctx.fillStyle = ramp((Math.log(norm) - logLow) / logSpan);
      arrow(ctx, x - dx / 2, y - dy / 2, x + dx / 2, y + dy / 2, Math.min(6, 0.35 * len + 1.5));
    }
  }
  legend(plot, low, high);
}

/** A colour bar from the smallest |s| to the largest, in the bottom-right corner. */
function legend(plot, low, high) {
  const ctx = plot.ctx;
  const font = Math.max(10, Math.round(plot.w / 32));
  const width = Math.min(120, plot.w * 0.35), height = Math.max(6, font * 0.6);
  const x = plot.w - width - 8, y = plot.h - height - font - 10;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(x - 6, y - font - 6, width + 12, height + 2 * font + 14);
  const gradient = ctx.createLinearGradient(x, 0, x + width, 0);
  for (let i = 0; i <= 4; i++) gradient.addColorStop(i / 4, ramp(i / 4));
  ctx.fillStyle = gradient;
  ctx.fillRect(x, y, width, height);
  ctx.fillStyle = 'rgba(20, 33, 46, 0.85)';
  ctx.font = `${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'center';
  ctx.fillText('|s| (log scale)', x + width / 2, y - 2);
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(short(low), x, y + height + 2);
  ctx.textAlign = 'right';
  ctx.fillText(short(high), x + width, y + height + 2);
  ctx.textAlign = 'start';
}

function short(v) {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toPrecision(3) : v.toPrecision(2);
}

function arrow(ctx, x0, y0, x1, y1, head) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  const a = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a - 0.45), y1 - head * Math.sin(a - 0.45));
  ctx.lineTo(x1 - head * Math.cos(a + 0.45), y1 - head * Math.sin(a + 0.45));
  ctx.closePath();
  ctx.fill();
}

/** Dark blue (small) to orange-red (large), readable on white and on a projector. */
function ramp(f) {
  const stops = [[31, 59, 87], [48, 99, 142], [42, 157, 143], [233, 150, 58], [192, 57, 43]];
  const p = Math.max(0, Math.min(1, f)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(p));
  const t = p - i;
  const c = stops[i].map((v, j) => Math.round(v + t * (stops[i + 1][j] - v)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
