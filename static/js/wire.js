// Decoding the live protocol's packed point clouds (docs/PROTOCOL.md): n points, x and y quantised to
// 16-bit integers over the cloud's own [min, max] box, little-endian, base64. 65535 means missing.

const LEVELS = 65534;
const MISSING = 65535;

/** A packed cloud as a Float32Array [x0, y0, x1, y1, ...]; missing coordinates become NaN. */
export function unpackCloud(packed) {
  if (!packed) return null;
  const binary = atob(packed.q);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const out = new Float32Array(2 * packed.n);
  const x0 = packed.min[0], y0 = packed.min[1];
  const sx = (packed.max[0] - x0) / LEVELS, sy = (packed.max[1] - y0) / LEVELS;
  for (let i = 0, b = 0; i < out.length; i += 2, b += 4) {
    const qx = bytes[b] | (bytes[b + 1] << 8); // little-endian, whatever the machine's order
    const qy = bytes[b + 2] | (bytes[b + 3] << 8);
    out[i] = qx === MISSING ? NaN : x0 + qx * sx;
    out[i + 1] = qy === MISSING ? NaN : y0 + qy * sy;
  }
  return out;
}

/** Every cloud of a list (null entries stay null). */
export function unpackAll(list) {
  return list ? list.map(unpackCloud) : null;
}

/**
 * A packed motion (docs/PROTOCOL.md, `motion`) as its states, each a Float32Array [x0, y0, ...]: the first
 * state a packed cloud, every next one the previous plus one signed byte a coordinate times that state's scale
 * (-128: missing from then on).
 */
export function unpackMotion(packed) {
  const first = unpackCloud(packed.start);
  const binary = atob(packed.d);
  const states = [first];
  const size = first.length;
  for (let j = 0, b = 0; j < packed.scales.length; j++) {
    const previous = states[j];
    const next = new Float32Array(size);
    const scale = packed.scales[j];
    for (let i = 0; i < size; i++, b++) {
      const q = (binary.charCodeAt(b) << 24) >> 24; // the byte as a signed int8
      next[i] = q === -128 ? NaN : previous[i] + q * scale;
    }
    states.push(next);
  }
  return states;
}
