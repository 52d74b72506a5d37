// The learned score field as a quiver plot on <canvas>: one arrow per grid point, lengths scaled so the
// typical arrow spans most of a grid cell (the score's scale changes by orders of magnitude with t), and
// coloured by magnitude, over the data in grey.

/**
 * Draws `vectors` ([size*size, 2], row-major with y outer) on the grid over [min, max]^2 into `plot`.
 * Returns the scale used (pixels per unit of score), for a caption.
 */
export function drawQuiver(plot, field, vectors, background) {
  plot.clear();
  if (background) plot.points(background, 'rgba(120, 135, 150, 0.35)', 1.6);
  if (!vectors) return 0;
  const n = field.size;
  const step = (field.max - field.min) / (n - 1);
  const cell = step * plot.scale;
  const norms = [];
  for (let k = 0; k < n * n; k++) {
    const u = vectors[2 * k], v = vectors[2 * k + 1];
    if (Number.isFinite(u) && Number.isFinite(v)) norms.push(Math.hypot(u, v));
  }
  if (!norms.length) return 0;
  norms.sort((a, b) => a - b);
  const typical = norms[Math.floor(0.9 * (norms.length - 1))] || 1e-12;
  const longest = norms[norms.length - 1] || 1e-12;
  const scale = 0.9 * cell / typical; // pixels per unit of score
  const ctx = plot.ctx;
  ctx.lineWidth = Math.max(1.2, cell / 14);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const k = iy * n + ix;
      const u = vectors[2 * k], v = vectors[2 * k + 1];
      if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
      const norm = Math.hypot(u, v);
      let len = norm * scale;
      if (len > 1.4 * cell) len = 1.4 * cell; // keep outliers readable
      if (len < 0.5) continue;
      const x = plot.px(field.min + ix * step);
      const y = plot.py(field.min + iy * step);
      const dx = (u / norm) * len, dy = -(v / norm) * len;
      ctx.strokeStyle = ctx.fillStyle = ramp(Math.min(1, norm / longest));
      arrow(ctx, x, y, x + dx, y + dy, Math.min(7, 0.35 * len + 2));
    }
  }
  return scale;
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
  const p = f * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(p));
  const t = p - i;
  const c = stops[i].map((v, j) => Math.round(v + t * (stops[i + 1][j] - v)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
