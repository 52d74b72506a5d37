// The 10-frame small multiples (forward q(x_t | x_0) and the reverse chain) and the labels of one frame.

import { Plot } from './point-cloud.js';

/** A strip of 10 small canvases with a label under each; clicking one calls onPick(index). */
export class FrameStrip {
  constructor(container, box, color, onPick) {
    this.color = color;
    this.frames = [];
    container.replaceChildren();
    for (let i = 0; i < 10; i++) {
      const frame = document.createElement('div');
      frame.className = 'frame';
      frame.tabIndex = 0;
      const canvas = document.createElement('canvas');
      const label = document.createElement('span');
      frame.append(canvas, label);
      frame.addEventListener('click', () => onPick(i));
      frame.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') onPick(i); });
      container.append(frame);
      this.frames.push({ frame, plot: new Plot(canvas, box), label });
    }
  }

  setBox(box) {
    this.frames.forEach((f) => { f.plot.box = box; });
  }

  /** Highlights the frame the t slider is on (no redraw). */
  setActive(active) {
    this.frames.forEach((f, i) => f.frame.classList.toggle('active', i === active));
  }

  /** Draws clouds[i] with labels[i]. */
  draw(clouds, labels) {
    this.frames.forEach((f, i) => {
      f.label.textContent = labels ? labels[i] : '';
      if (clouds && clouds[i]) {
        f.plot.clear().points(clouds[i], this.color, 1.4);
      } else {
        f.plot.placeholder('…');
      }
    });
  }
}
