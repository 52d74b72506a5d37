// Decoding the live protocol's packed point clouds (docs/PROTOCOL.md): n points, x and y quantised to
// 16-bit integers over the cloud's own [min, max] box, little-endian, base64. 65535 means missing.

const LEVELS = 65534;
const MISSING = 65535;

/** A packed cloud as a Float32Array [x0, y0, x1, y1, ...]; missing coordinates become NaN. */
export function unpackCloud(packed) {
  if (!packed) return null;
  const binary = atob(packed.q);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(2 * packed.n);
  const scale = [(packed.max[0] - packed.min[0]) / LEVELS, (packed.max[1] - packed.min[1]) / LEVELS];
  for (let i = 0; i < out.length; i++) {
    const q = view.getUint16(2 * i, true);
    const d = i & 1;
    out[i] = q === MISSING ? NaN : packed.min[d] + q * scale[d];
  }
  return out;
}

/** Every cloud of a list (null entries stay null). */
export function unpackAll(list) {
  return list ? list.map(unpackCloud) : null;
}
