// A run's state as its live messages build it (docs/PROTOCOL.md): the snapshot, then increments. A pure reducer
// with no DOM and no socket: every page that watches a run keeps one state per run, feeds it each message and
// redraws what the answer says changed. Clouds are unpacked here, once, whatever the page draws from them.

import { unpackAll, unpackCloud, unpackMotion } from './wire.js';

const unpackFrames = (m) => ({ kind: m.kind, trainingStep: m.trainingStep, ts: m.ts, clouds: unpackAll(m.clouds) });

/**
 * The pictures, by kind: the live message type that carries each (frames say forward or reverse in their
 * `kind`) and how its clouds are unpacked. The snapshot holds each one under the same name. A new picture
 * kind is one entry here.
 */
export const PICTURES = {
  data: { type: 'data', unpack: (m) => unpackCloud(m.cloud) }, // the training points x_0
  forward: { type: 'frames', unpack: unpackFrames },
  reverse: { type: 'frames', unpack: unpackFrames },
  motion: { type: 'motion', unpack: (m) => ({ trainingStep: m.trainingStep, ts: m.ts, states: unpackMotion(m.particles) }) },
  field: { type: 'field', unpack: (m) => ({ ...m, vectors: unpackAll(m.vectors) }) },
  samples: { type: 'samples', unpack: (m) => ({ ...m, cloud: unpackCloud(m.cloud), trajectories: unpackAll(m.trajectories) }) },
  // quality against sampling steps: numbers only, nothing to unpack
  quality: { type: 'quality', unpack: ({ trainingStep, sampler, points, evaluations, distances, straightness }) =>
    ({ trainingStep, sampler, points, evaluations, distances, straightness }) },
};

/**
 * Before the first message. `status` is the latest Status and `config` the run's config, `path` the forward
 * process as x_t = signal[t] x_0 + noise[t] ε for t = 0 .. T (null for a score model; all null until the snapshot); `pictures[kind]` the latest picture of each kind, unpacked, or null. The curves are not kept here
 * (a chart keeps them): `loss` and `metric` are the latest points, `{steps, values, whole}`, where `whole`
 * says they are the whole curve so far (a snapshot: replace what is drawn) rather than its continuation.
 */
export function initialRunState() {
  return {
    status: null,
    config: null,
    timesteps: null,
    path: null,
    loss: null,
    metric: null,
    pictures: Object.fromEntries(Object.keys(PICTURES).map((kind) => [kind, null])),
  };
}

/**
 * The state after one live message, and what changed: a Set of picture kinds and 'status', 'config', 'loss',
 * 'metric'. The given state is left as it was; an unknown message changes nothing.
 */
export function reduce(state, message) {
  const changed = new Set();
  let next = state;
  switch (message.type) {
    case 'snapshot': {
      const pictures = { ...state.pictures };
      for (const kind of Object.keys(PICTURES)) {
        if (kind === 'data' && !message.data) continue; // the data never goes away: keep what a reconnect lacks
        pictures[kind] = message[kind] ? PICTURES[kind].unpack(message[kind]) : null;
        changed.add(kind);
      }
      next = {
        ...state,
        status: message.status,
        config: message.config,
        timesteps: message.timesteps,
        path: message.path,
        loss: curve(message.loss, true),
        metric: curve(message.metric, true),
        pictures,
      };
      ['status', 'config', 'loss', 'metric'].forEach((k) => changed.add(k));
      break;
    }
    case 'status':
      next = { ...state, status: message.status };
      changed.add('status');
      break;
    case 'loss':
    case 'metric':
      next = { ...state, [message.type]: curve(message, false) };
      changed.add(message.type);
      break;
    default: {
      const kind = pictureKind(message);
      if (kind === null) break;
      const pictures = { ...state.pictures, [kind]: PICTURES[kind].unpack(message) };
      changed.add(kind);
      next = { ...state, pictures };
    }
  }
  return { state: next, changed };
}

/** The picture kind a live message carries, or null when it carries none. */
function pictureKind(message) {
  const kind = message.type === 'frames' ? message.kind : message.type;
  return Object.hasOwn(PICTURES, kind) && PICTURES[kind].type === message.type ? kind : null;
}

function curve(message, whole) {
  return { steps: message.steps, values: message.values, whole };
}

/**
 * The index of a picture's frame at a progress from noise (0) to data (count − 1), the same for every sampler:
 * frames at diffusion steps t (the forward process, the reverse chain, the field) are stored from t = 0, the data,
 * to T, and a score model's Langevin frames from iteration k = 0, the noise, to K.
 */
export function frameAtProgress(count, progress, fromNoise) {
  const p = Math.max(0, Math.min(count - 1, progress));
  return fromNoise ? p : count - 1 - p;
}
