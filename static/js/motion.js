// The reverse process in motion: the particles of the run's `motion` picture (docs/PROTOCOL.md) travelling
// from noise to data with fading trails, played, paused, sped up or looped, or scrubbed by a slider that
// reaches every step of the chain, from the noise (left) to the data (right) whatever the sampler (between the states the server kept, positions are interpolated). Beside
// them, at the same t, density heat maps of q(x_t) (the forward process, computed here from the data) and of
// the model's p_θ(x_t) (the particles). One MotionPlayer per run, built into an empty container.
//
// A player plays on a PlayClock: the progress along the chain (0 the noise .. 1 the data), playing or paused, the
// speed and whether it loops. A player has a clock of its own unless it is given one: the compare page gives all
// its columns one, so that they play, pause and move together, at the same progress whatever their chain's length;
// the controls of every player on a clock show its state and change it.
//
// Presenting (static/js/presenting.js) drives players through a small API: the container holds its player as
// `container.motionPlayer`; a player dispatches a bubbling `dl:player` event ({detail: {t, playing, speed}}) when
// the person at it plays, pauses, changes the speed or moves the slider (never when apply() changes it), and
// `apply({t, playing, speed})` puts it in that state (t: the slider's step, or null to keep its place). Players that
// share a clock share that state: theirs is the first player's, t the step of its chain.

import { COLORS, Plot } from './point-cloud.js';
import { DensityView, densityGrid } from './density.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4];
const SECONDS_PER_CHAIN = 6; // at 1x
const TRAIL_SEGMENTS = 5;
const TRAIL_SHARE = 0.06; // of the chain, behind each particle
const TRAIL_WIDTH = 1.2; // CSS pixels

function element(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Sets an element's text only when it changes (a new text is laid out and painted again). */
function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

function figure(role, caption) {
  const canvas = element('canvas', { className: 'plot' });
  canvas.dataset.role = role;
  canvas.setAttribute('aria-label', caption);
  return element('figure', {}, canvas, element('figcaption', { textContent: caption }));
}

/** One standard normal draw per coordinate (Box-Muller), fixed so that q(x_t) moves smoothly with t. */
function gaussians(length) {
  const z = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - Math.random())), a = 2 * Math.PI * Math.random();
    z[i] = r * Math.cos(a);
    if (i + 1 < length) z[i + 1] = r * Math.sin(a);
  }
  return z;
}

/** One play state for any number of players, and the animation frames that move them. */
export class PlayClock {
  constructor() {
    this.players = [];
    this.progress = 1; // along the chain: 0 the noise .. 1 the samples (a new player shows the samples)
    this.playing = false;
    this.speed = 1;
    this.loop = true;
    this.last = null;
    this.tick = this.tick.bind(this);
  }

  add(player) {
    this.players.push(player);
  }

  /** The player whose chain gives the clock's state its step t (presenting). */
  get lead() {
    return this.players[0];
  }

  play() {
    if (this.playing || !this.players.some((p) => p.motion)) return;
    if (this.progress >= 1) this.progress = 0;
    this.playing = true;
    this.last = null;
    this.show();
    requestAnimationFrame(this.tick);
  }

  pause() {
    this.playing = false;
    this.show();
  }

  setSpeed(speed) {
    if (SPEEDS.includes(speed)) this.speed = speed;
    this.show();
  }

  setLoop(loop) {
    this.loop = loop;
    this.show();
  }

  /** Moves every player to this progress; `from` shows exactly `step` (a slider reaches steps between kept states). */
  seek(progress, from = null, step = undefined) {
    this.progress = Math.max(0, Math.min(1, progress));
    this.players.forEach((p) => p.redraw(p === from ? step : undefined));
  }

  /** Every player's controls show the clock's state. */
  show() {
    this.players.forEach((p) => p.showControls());
  }

  tick(now) {
    if (!this.playing) return;
    if (this.last !== null) this.progress += ((now - this.last) / 1000) * this.speed / SECONDS_PER_CHAIN;
    this.last = now;
    if (this.progress >= 1) {
      if (this.loop) this.progress = 0;
      else { this.progress = 1; this.pause(); }
    }
    this.players.forEach((p) => p.draw());
    if (this.playing) requestAnimationFrame(this.tick);
  }
}

export class MotionPlayer {
  /**
   * `scoreModel`: the chain is Langevin's (k = 0 .. K) rather than the reverse process (t = T .. 0); `clock`: the
   * PlayClock it plays on, shared with other players (a clock of its own by default).
   */
  constructor(container, { scoreModel, box, clock = new PlayClock() }) {
    this.scoreModel = scoreModel;
    this.motion = null;
    this.data = null;
    this.noise = null;
    this.path = null;
    this.clock = clock;
    this.scheduled = false;

    const symbol = scoreModel ? 'k' : 't';
    this.button = element('button', { type: 'button', className: 'secondary motion-play', textContent: '▶ Play' });
    this.slider = element('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, disabled: true });
    // the slider is the progress along the chain, noise on the left and data on the right, for every sampler
    this.slider.setAttribute('aria-label', scoreModel ? 'Langevin iteration k, from the noise to the data'
      : 'time step t, from the noise (t = T) to the data (t = 0)');
    this.output = element('output', { className: 't-value', textContent: `${symbol} = …` });
    this.readout = element('span', { className: 'motion-readout muted' });
    const speed = this.speedSelect = element('select', { className: 'motion-speed' },
      ...SPEEDS.map((s) => element('option', { value: String(s), textContent: `${s}×`, selected: s === 1 })));
    speed.setAttribute('aria-label', 'speed');
    this.loop = element('input', { type: 'checkbox', checked: true });
    const particles = figure('particles', scoreModel
      ? 'Langevin particles from N(0, I), with trails' : 'particles of p_θ from x_T ~ N(0, I) to x₀, with trails');
    const q = figure('q-density', scoreModel ? 'density of the data q(x)' : 'density of q(xₜ), the forward process');
    const p = figure('p-density', scoreModel ? 'density of the particles at k' : 'density of p_θ(xₜ), the particles');
    container.classList.add('motion');
    container.append(
      element('div', { className: 'motion-controls' }, this.button,
        element('label', {}, 'speed ', speed), element('label', {}, this.loop, ' loop')),
      element('div', { className: 't-control' }, element('label', { textContent: symbol }), this.slider, this.output),
      element('p', { className: 'motion-note' }, this.readout),
      element('div', { className: 'motion-views' }, particles, element('div', { className: 'motion-densities' }, q, p)));

    const plot = (f) => new Plot(f.querySelector('canvas'), box);
    this.plots = [plot(particles), plot(q), plot(p)];
    [this.particles, this.qPlot, this.pPlot] = this.plots;
    this.qView = new DensityView(this.qPlot);
    this.pView = new DensityView(this.pPlot);
    this.particles.placeholder('the reverse chain appears after a moment of training');

    this.container = container;
    container.motionPlayer = this;
    this.button.addEventListener('click', () => { (clock.playing ? clock.pause() : clock.play()); this.announce(); });
    speed.addEventListener('change', () => { clock.setSpeed(Number(speed.value)); this.announce(); });
    this.loop.addEventListener('change', () => clock.setLoop(this.loop.checked));
    this.slider.addEventListener('input', () => {
      const step = this.stepOfSlider(Number(this.slider.value));
      clock.pause();
      clock.seek(this.progressOf(step), this, step);
      this.announce();
    });
    clock.add(this);
    this.showControls();
  }

  get playing() { return this.clock.playing; }

  get speed() { return this.clock.speed; }

  /** Where in the chain, in kept states: 0 the noise .. states − 1 the samples. */
  get pos() {
    return this.clock.progress * (this.motion.states.length - 1);
  }

  /** The clock's progress at a step of this chain. */
  progressOf(step) {
    return this.motion.states.length > 1 ? this.posOf(step) / (this.motion.states.length - 1) : 1;
  }

  /** The play button, speed and loop show the clock's state. */
  showControls() {
    const { playing, speed, loop } = this.clock;
    setText(this.button, playing ? '❚❚ Pause' : '▶ Play');
    this.speedSelect.value = String(speed);
    this.loop.checked = loop;
  }

  /**
   * {t, playing, speed}: the step the slider shows, or is about to (a redraw may be pending), t or Langevin's k (null
   * before the first motion picture), and the play state.
   */
  state() {
    const t = this.motion ? (this.shownT ?? Math.round(this.stepAt(this.pos))) : null;
    return { t, playing: this.playing, speed: this.speed };
  }

  /** Tells the page (presenting.js) what the person at the player changed: the state of its clock's lead. */
  announce() {
    this.container.dispatchEvent(new CustomEvent('dl:player', { bubbles: true, detail: this.clock.lead.state() }));
  }

  /** Puts the clock in this state, as someone else's player is (t null keeps the place); announces nothing. */
  apply(state) {
    const lead = this.clock.lead;
    if (lead !== this) {
      lead.apply(state); // t is a step of the lead's chain
      return;
    }
    const { t = null, playing = false, speed = this.speed } = state;
    this.clock.setSpeed(speed);
    if (!this.motion) { // applied once the chain arrives
      this.pending = { t, playing, speed };
      return;
    }
    if (playing) {
      if (t !== null) this.clock.progress = this.progressOf(t);
      this.clock.play();
    } else {
      this.clock.pause();
      if (t !== null) this.clock.seek(this.progressOf(t), this, t);
    }
  }

  setBox(box) {
    this.plots.forEach((p) => { p.box = box; });
    this.redraw();
  }

  /** The training points x_0, whose forward process the q(x_t) density shows. */
  setData(data) {
    this.data = data;
    this.noise = gaussians(data.length);
    this.redraw();
  }

  /** The forward process, x_t = signal[t] x_0 + noise[t] ε for t = 0 .. T (null for a score model). */
  setPath(path) {
    this.path = path;
    this.redraw();
  }

  /** A new motion picture {trainingStep, ts, states}: the slider keeps its place in the chain (the clock's). */
  setMotion(motion) {
    this.motion = motion;
    const { ts } = motion;
    this.slider.min = '0';
    this.slider.max = String(Math.abs(ts[ts.length - 1] - ts[0]));
    this.slider.disabled = false;
    this.redraw();
    if (this.pending) {
      const pending = this.pending;
      this.pending = null;
      this.apply(pending);
    }
  }

  play() {
    this.clock.play();
  }

  pause() {
    this.clock.pause();
  }

  /** Redraws once at the next frame (while playing, the next tick does), densities included. */
  redraw(t) {
    this.shownT = t;
    this.densityStep = null;
    if (this.playing || this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw(this.shownT);
      this.shownT = undefined;
    });
  }

  /** The step (t or k) at a slider value: the steps taken from the chain's start, x_T or Langevin's k = 0. */
  stepOfSlider(value) {
    const { ts } = this.motion;
    return ts[0] + Math.sign(ts[ts.length - 1] - ts[0]) * value;
  }

  /** The step (t or k) at a position in the chain, interpolated between kept states. */
  stepAt(pos) {
    const { ts } = this.motion;
    const j = Math.min(ts.length - 2, Math.floor(pos));
    return j < 0 ? ts[0] : ts[j] + (pos - j) * (ts[j + 1] - ts[j]);
  }

  /** The position of a step in the chain (ts is monotonic, in chain order). */
  posOf(step) {
    const { ts } = this.motion;
    for (let j = 0; j + 1 < ts.length; j++) {
      const a = ts[j], b = ts[j + 1];
      if ((step - a) * (step - b) <= 0) return a === b ? j : j + (step - a) / (b - a);
    }
    return Math.abs(step - ts[0]) < Math.abs(step - ts[ts.length - 1]) ? 0 : ts.length - 1;
  }

  /** The path's coefficients {signal, noise} at a (fractional) t, or null. */
  pathAt(t) {
    const p = this.path;
    if (this.scoreModel || !p) return null;
    const at = (v) => {
      const i = Math.max(0, Math.min(v.length - 2, Math.floor(t)));
      return v[i] + (Math.min(t, v.length - 1) - i) * (v[i + 1] - v[i]);
    };
    return { signal: at(p.signal), noise: at(p.noise) };
  }

  /** The particles at a position in the chain, into `out`. */
  positions(pos, out) {
    const { states } = this.motion;
    const j = Math.max(0, Math.min(states.length - 2, Math.floor(pos)));
    const f = Math.max(0, Math.min(1, pos - j));
    const a = states[j], b = states[Math.min(states.length - 1, j + 1)];
    for (let i = 0; i < out.length; i++) out[i] = a[i] + f * (b[i] - a[i]);
    return out;
  }

  draw(step) {
    if (!this.motion) {
      this.drawBeforeTraining();
      return;
    }
    const t = step ?? Math.round(this.stepAt(this.pos));
    const value = String(Math.abs(t - this.motion.ts[0]));
    if (this.slider.value !== value) this.slider.value = value;
    setText(this.output, `${this.scoreModel ? 'k' : 't'} = ${t}`);
    const path = this.pathAt(t); // the labels, ᾱₜ and q(xₜ) are those of the step shown
    setText(this.readout, this.scoreModel
      ? `Langevin iteration ${t} of ${this.motion.ts[this.motion.ts.length - 1]}; step ${this.motion.trainingStep.toLocaleString()} of training`
      : (path === null ? '' : `${describePath(path)} · training step ${this.motion.trainingStep.toLocaleString()}`));
    this.drawParticles();
    if (this.densityStep !== t) { // the densities change with the step shown, not with every frame between
      this.densityStep = t;
      this.drawDensities(path);
    }
  }

  /** Before the model's first chain: the data, and its density as q(x_0); the particles wait for a model. */
  drawBeforeTraining() {
    if (!this.data) return;
    this.drawBackdrop().label('the particles appear once a model has trained');
    this.qView.draw(densityGrid(this.data, this.qPlot.box));
    this.pPlot.placeholder('no particles yet');
  }

  /** Axes and the data in grey, drawn once per size, box and data, then copied. */
  drawBackdrop() {
    const plot = this.particles;
    plot.resize();
    const { canvas, box } = plot;
    const key = `${canvas.width}x${canvas.height} ${box.cx} ${box.cy} ${box.half}`;
    if (this.backdrop && this.backdrop.key === key && this.backdrop.data === this.data) {
      const c = plot.ctx;
      c.save();
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.clearRect(0, 0, canvas.width, canvas.height);
      c.drawImage(this.backdrop.canvas, 0, 0);
      c.restore();
      return plot;
    }
    plot.clear();
    if (this.data) plot.points(this.data, COLORS.data, 1.6);
    const copy = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
    copy.getContext('2d').drawImage(canvas, 0, 0);
    this.backdrop = { key, data: this.data, canvas: copy };
    return plot;
  }

  drawParticles() {
    const plot = this.drawBackdrop();
    const size = this.motion.states[0].length;
    if (!this.buffers || this.buffers[0].length !== size) {
      this.buffers = Array.from({ length: TRAIL_SEGMENTS + 1 }, () => new Float32Array(size));
    }
    const trail = (TRAIL_SHARE * (this.motion.states.length - 1)) / TRAIL_SEGMENTS;
    for (let k = 0; k <= TRAIL_SEGMENTS; k++) this.positions(Math.max(0, this.pos - k * trail), this.buffers[k]);
    // Trails are whole device pixels wide, with the ink of TRAIL_WIDTH: on a screen of one device pixel per CSS
    // pixel, 1 pixel at 1.2 times the opacity, which the canvas rasterises as hairlines, ten times faster.
    const dpr = window.devicePixelRatio || 1;
    const pixels = Math.max(1, Math.round(TRAIL_WIDTH * dpr));
    const ink = (TRAIL_WIDTH * dpr) / pixels;
    const c = plot.ctx;
    c.lineWidth = pixels / dpr;
    for (let k = TRAIL_SEGMENTS; k >= 1; k--) { // oldest first, fainter
      const from = this.buffers[k], to = this.buffers[k - 1];
      c.strokeStyle = `rgba(192, 57, 43, ${(0.4 * ink * (1 - (k - 1) / TRAIL_SEGMENTS)).toFixed(3)})`;
      c.beginPath();
      for (let i = 0; i + 1 < size; i += 2) {
        if (!(Number.isFinite(from[i] + from[i + 1] + to[i] + to[i + 1]))) continue;
        c.moveTo(plot.px(from[i]), plot.py(from[i + 1]));
        c.lineTo(plot.px(to[i]), plot.py(to[i + 1]));
      }
      c.stroke();
    }
    plot.points(this.buffers[0], COLORS.reverse, 2.6);
  }

  drawDensities(path) {
    const current = this.buffers[0];
    if (this.data) {
      let cloud = this.data;
      if (path !== null) {
        const a = path.signal, s = path.noise;
        cloud = this.forward || (this.forward = new Float32Array(this.data.length));
        if (cloud.length !== this.data.length) cloud = this.forward = new Float32Array(this.data.length);
        for (let i = 0; i < cloud.length; i++) cloud[i] = a * this.data[i] + s * this.noise[i];
      }
      this.qView.draw(densityGrid(cloud, this.qPlot.box));
    } else {
      this.qPlot.placeholder('waiting for the data…');
    }
    this.pView.draw(densityGrid(current, this.pPlot.box));
  }
}

/**
 * What x_t is at this t: on a variance-preserving diffusion path (signal² + noise² = 1) ᾱ_t and the noise level
 * √(1 − ᾱ_t); on another path (flow matching's straight line) its two coefficients.
 */
function describePath({ signal, noise }) {
  if (Math.abs(signal * signal + noise * noise - 1) < 1e-3) {
    return `ᾱₜ = ${(signal * signal).toFixed(3)} · noise level √(1 − ᾱₜ) = ${noise.toFixed(3)}`;
  }
  return `xₜ = ${signal.toFixed(3)} x₀ + ${noise.toFixed(3)} ε`;
}
