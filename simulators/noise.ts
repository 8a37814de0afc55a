/**
 * Deterministic noise for the simulator. Every random number is a pure function of
 * (seed, stream, knot), so any hour can be generated on its own, in any order, and a seed +
 * scenario + start time always gives the same data. seedrandom turns the user's seed (any
 * string or number) into a 32-bit integer; a small integer hash does the rest, because the hot
 * path (thousands of station-hours per second under --rate) cannot afford a PRNG per value.
 */
import seedrandom from 'seedrandom';

/** 32-bit integer seed from any user seed, via seedrandom (ARC4, the library default). */
export function seedInt(seed: string | number): number {
  return seedrandom(String(seed)).int32() >>> 0;
}

/** A seedrandom generator for one named purpose (e.g. placing synthetic stations). */
export function rng(seed: string | number, purpose: string): () => number {
  return seedrandom(`${seed}|${purpose}`);
}

/** lowbias32 integer hash (Chris Wellons' hash-prospector), good avalanche for a 32-bit mix. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Uniform in [0, 1) from (seed, stream, knot). */
export function hashUniform(seed: number, stream: number, knot: number): number {
  const h = mix(seed ^ mix(stream + 0x9e3779b9) ^ mix((knot | 0) + 0x632be5ab));
  return h / 4294967296;
}

/** Approximately standard normal (sum of 4 uniforms, scaled to variance 1) from (seed, stream, knot). */
export function hashNormal(seed: number, stream: number, knot: number): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += hashUniform(seed, stream * 4 + i, knot);
  return (s - 2) * Math.sqrt(3);
}

/**
 * Smooth noise in time: standard-normal values at knots every `knotHours`, Catmull-Rom
 * interpolated, so consecutive hours are correlated like real weather and concentrations.
 * `hours` is a continuous time in hours (e.g. epoch ms / 3.6e6).
 */
export function smoothNoise(seed: number, stream: number, hours: number, knotHours: number): number {
  const u = hours / knotHours;
  const k = Math.floor(u);
  const f = u - k;
  const p0 = hashNormal(seed, stream, k - 1);
  const p1 = hashNormal(seed, stream, k);
  const p2 = hashNormal(seed, stream, k + 1);
  const p3 = hashNormal(seed, stream, k + 2);
  // Catmull-Rom spline through p1 (f = 0) and p2 (f = 1).
  return (
    0.5 *
    (2 * p1 + (-p0 + p2) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f * f + (-p0 + 3 * p1 - 3 * p2 + p3) * f * f * f)
  );
}
