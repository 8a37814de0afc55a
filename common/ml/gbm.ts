/**
 * Histogram gradient-boosted regression trees (the LightGBM / scikit-learn HistGradientBoosting
 * recipe: Ke et al. 2017, NeurIPS "LightGBM"; Friedman 2001, Ann. Statist. 29:1189), small enough
 * to read in one sitting. Pure: arrays in, a plain JSON-serialisable model out; no I/O, no clock;
 * deterministic for a given seed.
 *
 *   const m = fitGbm(X, y, { loss: { quantile: 0.9 }, rounds: 300, seed: 1 });
 *   predictGbm(m, X2)            // -> number[]
 *   gbmFromJson(JSON.parse(JSON.stringify(m)))   // the model is its own JSON
 *
 * - Features are binned once (<= maxBins quantile bins per feature, fitted on the training rows);
 *   a split is a bin boundary stored as a raw threshold, so prediction needs no bins.
 * - Missing values (null, undefined, NaN) go to a side learned at each split (the side with the
 *   larger gain; to the left when no training row at that node was missing).
 * - Trees grow leaf-wise (best gain first) up to maxLeaves, limited by maxDepth and minLeaf rows.
 * - Losses: 'l2' (leaf = sum of residuals / (n + lambda)) and { quantile: tau } (pinball loss;
 *   the tree is grown on the pinball gradient, then each leaf is set to the tau-quantile of its
 *   residuals, as scikit-learn and LightGBM do, since the pinball hessian is zero).
 * - Shrinkage (learningRate), row subsampling (subsample) and feature subsampling per tree
 *   (colsample), from a seeded generator.
 * - Early stopping on a validation set: training stops `earlyStop` rounds after the validation loss
 *   last improved and the model keeps the trees up to the best round.
 * - Monotone constraints per feature (+1 increasing, -1 decreasing, 0 none), the "basic" method of
 *   LightGBM: a split whose children violate the direction is rejected, and children inherit
 *   bounds at the midpoint of their values, so every path stays monotone.
 */

export type Loss = 'l2' | { quantile: number };

export interface GbmOptions {
  loss?: Loss;
  /** boosting rounds (trees), default 200 */
  rounds?: number;
  /** shrinkage, default 0.05 */
  learningRate?: number;
  /** leaves per tree, default 15 */
  maxLeaves?: number;
  /** depth limit, default 6 */
  maxDepth?: number;
  /** rows per leaf at least, default 10 */
  minLeaf?: number;
  /** L2 regularisation of leaf values (l2 loss), default 1 */
  lambda?: number;
  /** bins per feature (2..255), default 63 */
  maxBins?: number;
  /** share of rows drawn (without replacement) for each tree, default 1 */
  subsample?: number;
  /** share of features offered to each tree, default 1 */
  colsample?: number;
  /** seed of the row / feature draws, default 1 */
  seed?: number;
  /** validation rows for early stopping */
  valid?: { X: readonly (readonly (number | null | undefined)[])[]; y: readonly number[] };
  /** stop after this many rounds without validation improvement, default 30 (needs `valid`) */
  earlyStop?: number;
  /** per feature: +1 increasing, -1 decreasing, 0 free */
  monotone?: readonly (-1 | 0 | 1)[];
  /** feature names, kept in the model for reading it */
  names?: readonly string[];
}

/** One tree as parallel arrays. Node k is a leaf when feature[k] < 0 (value[k] is its output);
 *  otherwise x[feature] <= threshold goes to left[k], larger to right[k], missing to the left when
 *  missingLeft[k] is 1. */
export interface GbmTree {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbmModel {
  kind: 'gbm';
  v: 1;
  loss: Loss;
  base: number;
  nFeatures: number;
  names: string[] | null;
  trees: GbmTree[];
  /** rounds kept (the best validation round with early stopping) */
  bestRound: number;
  /** training (and validation) loss per round, for reading the fit */
  trainLoss: number[];
  validLoss: number[];
}

type Row = readonly (number | null | undefined)[];

const isMissing = (v: number | null | undefined): boolean => v === null || v === undefined || Number.isNaN(v);

/** mulberry32: a tiny seeded generator (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** tau-quantile of values (linear interpolation between order statistics, like percentile.INC). */
export function quantileOf(values: readonly number[] | Float64Array, tau: number): number {
  const a = Float64Array.from(values).sort();
  if (a.length === 0) return 0;
  const k = (a.length - 1) * tau;
  const s = Math.floor(k);
  return s + 1 < a.length ? a[s] + (a[s + 1] - a[s]) * (k - s) : a[s];
}

/** Mean loss of predictions f against y: squared error (l2) or pinball loss (quantile). */
export function lossValue(loss: Loss, y: readonly number[], f: ArrayLike<number>): number {
  let s = 0;
  if (loss === 'l2') for (let i = 0; i < y.length; i++) s += (y[i] - f[i]) ** 2;
  else {
    const t = loss.quantile;
    for (let i = 0; i < y.length; i++) {
      const r = y[i] - f[i];
      s += r >= 0 ? t * r : (t - 1) * r;
    }
  }
  return y.length ? s / y.length : 0;
}

/** Bin edges of one feature: up to maxBins-1 thresholds (midpoints between distinct values, at
 *  quantiles when there are more distinct values than bins). */
function binEdges(col: Float64Array, maxBins: number): number[] {
  const v = Array.from(col).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const distinct: number[] = [];
  for (const x of v) if (distinct.length === 0 || x !== distinct[distinct.length - 1]) distinct.push(x);
  if (distinct.length <= 1) return [];
  if (distinct.length <= maxBins) {
    const e: number[] = [];
    for (let k = 1; k < distinct.length; k++) e.push((distinct[k - 1] + distinct[k]) / 2);
    return e;
  }
  const e: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    const q = v[Math.floor((k * v.length) / maxBins)];
    const below = v[Math.floor((k * v.length) / maxBins) - 1];
    const t = (q + below) / 2;
    if (q !== below && (e.length === 0 || t > e[e.length - 1])) e.push(t);
  }
  return e;
}

/** Bin of a value: 0 = missing, 1 + (number of edges below the value). */
function binOf(x: number, edges: readonly number[]): number {
  if (Number.isNaN(x)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return 1 + lo;
}

interface Split {
  gain: number;
  feature: number;
  bin: number; // bins 1..bin go left
  missingLeft: boolean;
  wl: number;
  wr: number;
}


function checkOptions(o: GbmOptions, nFeatures: number): void {
  const bad = (m: string) => { throw new RangeError(`gbm: ${m}`); };
  if (o.loss !== undefined && o.loss !== 'l2' && !(typeof o.loss === 'object' && o.loss.quantile > 0 && o.loss.quantile < 1)) bad('loss must be "l2" or { quantile: 0 < tau < 1 }');
  if (o.rounds !== undefined && (!Number.isInteger(o.rounds) || o.rounds < 1)) bad('rounds must be a positive integer');
  if (o.learningRate !== undefined && !(o.learningRate > 0 && o.learningRate <= 1)) bad('learningRate must be in (0, 1]');
  if (o.maxLeaves !== undefined && (!Number.isInteger(o.maxLeaves) || o.maxLeaves < 2)) bad('maxLeaves must be an integer >= 2');
  if (o.maxBins !== undefined && (!Number.isInteger(o.maxBins) || o.maxBins < 2 || o.maxBins > 255)) bad('maxBins must be an integer in 2..255');
  if (o.subsample !== undefined && !(o.subsample > 0 && o.subsample <= 1)) bad('subsample must be in (0, 1]');
  if (o.colsample !== undefined && !(o.colsample > 0 && o.colsample <= 1)) bad('colsample must be in (0, 1]');
  if (o.monotone && o.monotone.length !== nFeatures) bad(`monotone has ${o.monotone.length} entries for ${nFeatures} features`);
}

/** Fit a gradient-boosted tree model. X: rows of features (null/NaN = missing), y: finite targets.
 *  Throws RangeError on inconsistent shapes or options (a programming mistake, not data). */
export function fitGbm(X: readonly Row[], y: readonly number[], opts: GbmOptions = {}): GbmModel {
  const n = X.length;
  if (n === 0 || n !== y.length) throw new RangeError(`gbm: ${n} rows and ${y.length} targets`);
  const p = X[0].length;
  for (const r of X) if (r.length !== p) throw new RangeError('gbm: rows of different lengths');
  for (const v of y) if (!Number.isFinite(v)) throw new RangeError('gbm: a target is not a finite number');
  checkOptions(opts, p);
  const loss: Loss = opts.loss ?? 'l2';
  const rounds = opts.rounds ?? 200;
  const lr = opts.learningRate ?? 0.05;
  const maxLeaves = opts.maxLeaves ?? 15;
  const maxDepth = opts.maxDepth ?? 6;
  const minLeaf = Math.max(1, opts.minLeaf ?? 10);
  const lambda = opts.lambda ?? 1;
  const maxBins = opts.maxBins ?? 63;
  const subsample = opts.subsample ?? 1;
  const colsample = opts.colsample ?? 1;
  const rand = seededRandom(opts.seed ?? 1);
  const mono = opts.monotone ?? null;
  const tau = loss === 'l2' ? null : loss.quantile;

  // Columns and bins. Bins are stored row-major (row i, feature j at i * p + j) so that building a
  // node's histograms walks its rows once.
  const cols: Float64Array[] = [];
  const edges: number[][] = [];
  const rowBins = new Uint8Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) { const v = X[i][j]; c[i] = isMissing(v) ? NaN : (v as number); }
    cols.push(c);
    const e = binEdges(c, maxBins);
    edges.push(e);
    for (let i = 0; i < n; i++) rowBins[i * p + j] = binOf(c[i], e);
  }
  const nb = edges.map((e) => e.length + 2); // bins 0 (missing) .. edges.length + 1
  const off = new Int32Array(p + 1); // histogram offset of each feature
  for (let j = 0; j < p; j++) off[j + 1] = off[j] + nb[j];
  const H = off[p];

  const base = tau === null ? y.reduce((a, b) => a + b, 0) / n : quantileOf(y, tau);
  const F = new Float64Array(n).fill(base);
  const validX = opts.valid?.X ?? null;
  const validY = opts.valid?.y ?? null;
  if (validX && validY && validX.length !== validY.length) throw new RangeError('gbm: validation rows and targets differ in length');
  const Fv = validX ? new Float64Array(validX.length).fill(base) : null;

  // Both losses use unit hessians (pinball's is 0: its tree is grown on the sign-like gradient with
  // unit weights and its leaves are re-fitted below), so a node's hessian sum is its row count.
  const g = new Float64Array(n);
  const trees: GbmTree[] = [];
  const trainLoss: number[] = [];
  const validLoss: number[] = [];
  let best = Infinity;
  let bestRound = 0;
  const patience = opts.earlyStop ?? 30;
  const allRows = Int32Array.from({ length: n }, (_, i) => i);

  interface Node {
    node: number;
    rows: Int32Array;
    depth: number;
    lo: number;
    hi: number;
    hg: Float64Array; // gradient sum per (feature, bin)
    hc: Float64Array; // row count per (feature, bin)
    G: number;
    split: Split | null;
  }
  // Histogram buffers are reused across rounds (a tree needs at most 2 * maxLeaves of them): the
  // allocation per node was most of the garbage collector's work.
  const pool: Float64Array[] = [];
  let used = 0;
  const take = (): Float64Array => {
    if (used === pool.length) pool.push(new Float64Array(H));
    const b = pool[used++];
    b.fill(0);
    return b;
  };
  const buildHist = (rows: Int32Array, fs: readonly number[]): [Float64Array, Float64Array] => {
    const hg = take();
    const hc = take();
    for (let q = 0; q < rows.length; q++) {
      const i = rows[q];
      const gi = g[i];
      const b0 = i * p;
      for (let t = 0; t < fs.length; t++) {
        const j = fs[t];
        const k = off[j] + rowBins[b0 + j];
        hg[k] += gi;
        hc[k]++;
      }
    }
    return [hg, hc];
  };

  for (let round = 0; round < rounds; round++) {
    used = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i] - F[i];
      g[i] = tau === null ? -r : r > 0 ? -tau : r < 0 ? 1 - tau : 0;
    }
    // Rows and features for this tree.
    let rows: Int32Array;
    if (subsample < 1) {
      const k = Math.min(n, Math.max(minLeaf * 2, Math.round(n * subsample)));
      const idx = allRows.slice();
      for (let i = 0; i < k; i++) { const j = i + Math.floor(rand() * (n - i)); const t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
      rows = idx.slice(0, k).sort();
    } else rows = allRows;
    let feats = Array.from({ length: p }, (_, j) => j);
    if (colsample < 1) {
      for (let i = p - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [feats[i], feats[j]] = [feats[j], feats[i]]; }
      feats = feats.slice(0, Math.max(1, Math.round(p * colsample))).sort((a, b) => a - b);
    }

    const tree: GbmTree = { feature: [-1], threshold: [0], missingLeft: [0], left: [-1], right: [-1], value: [0] };
    const findSplit = (lf: Node): Split | null => {
      const cnt = lf.rows.length;
      if (lf.depth >= maxDepth || cnt < 2 * minLeaf) return null;
      const G = lf.G;
      const clamp = (w: number) => (w < lf.lo ? lf.lo : w > lf.hi ? lf.hi : w);
      // -(loss) of a leaf holding gradient sum gs over hs rows at value w (second-order, unit hessians)
      const score = (gs: number, hs: number, w: number) => -(2 * gs * w + (hs + lambda) * w * w);
      const parent = score(G, cnt, clamp(-G / (cnt + lambda)));
      let bestS: Split | null = null;
      const { hg, hc } = lf;
      for (let t = 0; t < feats.length; t++) {
        const j = feats[t];
        const B = nb[j];
        if (B <= 2) continue;
        const o = off[j];
        const mg = hg[o];
        const mc = hc[o];
        const dir = mono ? mono[j] : 0;
        let lg = 0;
        let lc = 0;
        const lo = lf.lo;
        const hi = lf.hi;
        for (let b = 1; b < B - 1; b++) {
          const cb = hc[o + b];
          lg += hg[o + b];
          lc += cb;
          // An empty bin gives the same partition as the bin before it (already scored).
          if (cb === 0) continue;
          for (let side = 0; side < (mc > 0 ? 2 : 1); side++) {
            const gl = side === 0 ? lg + mg : lg;
            const cl = side === 0 ? lc + mc : lc;
            const cr = cnt - cl;
            if (cl < minLeaf || cr < minLeaf) continue;
            const gr = G - gl;
            let wl = -gl / (cl + lambda);
            let wr = -gr / (cr + lambda);
            wl = wl < lo ? lo : wl > hi ? hi : wl;
            wr = wr < lo ? lo : wr > hi ? hi : wr;
            if (dir !== 0 && (dir > 0 ? wl > wr : wl < wr)) continue;
            // score(g, c, w) = -(2 g w + (c + lambda) w^2), the leaf's loss reduction at w
            const gain = -(2 * gl * wl + (cl + lambda) * wl * wl) - (2 * gr * wr + (cr + lambda) * wr * wr) - parent;
            if (gain > 1e-12 && (bestS === null || gain > bestS.gain)) bestS = { gain, feature: j, bin: b, missingLeft: side === 0, wl, wr };
          }
        }
      }
      return bestS;
    };

    const [rg, rc] = buildHist(rows, feats);
    let G0 = 0;
    for (let q = 0; q < rows.length; q++) G0 += g[rows[q]];
    const root: Node = { node: 0, rows, depth: 0, lo: -Infinity, hi: Infinity, hg: rg, hc: rc, G: G0, split: null };
    root.split = findSplit(root);
    const open: Node[] = [root];
    let leaves = 1;
    while (leaves < maxLeaves) {
      let k = -1;
      for (let q = 0; q < open.length; q++) if (open[q].split && (k < 0 || open[q].split!.gain > open[k].split!.gain)) k = q;
      if (k < 0) break;
      const lf = open.splice(k, 1)[0];
      const s = lf.split!;
      const L = new Int32Array(lf.rows.length);
      const R = new Int32Array(lf.rows.length);
      let nl = 0;
      let nr = 0;
      let gl = 0;
      for (let q = 0; q < lf.rows.length; q++) {
        const i = lf.rows[q];
        const b = rowBins[i * p + s.feature];
        if (b === 0 ? s.missingLeft : b <= s.bin) { L[nl++] = i; gl += g[i]; } else R[nr++] = i;
      }
      const li = tree.feature.length;
      for (let q = 0; q < 2; q++) { tree.feature.push(-1); tree.threshold.push(0); tree.missingLeft.push(0); tree.left.push(-1); tree.right.push(-1); tree.value.push(0); }
      tree.feature[lf.node] = s.feature;
      tree.threshold[lf.node] = edges[s.feature][s.bin - 1];
      tree.missingLeft[lf.node] = s.missingLeft ? 1 : 0;
      tree.left[lf.node] = li;
      tree.right[lf.node] = li + 1;
      let [llo, lhi, rlo, rhi] = [lf.lo, lf.hi, lf.lo, lf.hi];
      if (mono && mono[s.feature] !== 0) {
        const mid = (s.wl + s.wr) / 2;
        if (mono[s.feature] > 0) { lhi = mid; rlo = mid; } else { llo = mid; rhi = mid; }
      }
      // Histogram subtraction (LightGBM): build the smaller child's, the sibling's is parent - it.
      const Lr = L.subarray(0, nl);
      const Rr = R.subarray(0, nr);
      const smallLeft = nl <= nr;
      const [sg, sc] = buildHist(smallLeft ? Lr : Rr, feats);
      const bg = lf.hg;
      const bc = lf.hc;
      for (let q = 0; q < H; q++) { bg[q] -= sg[q]; bc[q] -= sc[q]; }
      const [lhg, lhc, rhg, rhc] = smallLeft ? [sg, sc, bg, bc] : [bg, bc, sg, sc];
      const a: Node = { node: li, rows: Lr, depth: lf.depth + 1, lo: llo, hi: lhi, hg: lhg, hc: lhc, G: gl, split: null };
      const b: Node = { node: li + 1, rows: Rr, depth: lf.depth + 1, lo: rlo, hi: rhi, hg: rhg, hc: rhc, G: lf.G - gl, split: null };
      a.split = findSplit(a);
      b.split = findSplit(b);
      open.push(a, b);
      leaves++;
    }

    // Leaf values: Newton step (l2) or the tau-quantile of the residuals (pinball), clamped to the
    // monotone bounds (so the constraint holds for the scaled values too), times the learning rate.
    for (const lf of open) {
      const rs = lf.rows;
      let w: number;
      if (tau === null) w = -lf.G / (rs.length + lambda);
      else {
        const res = new Float64Array(rs.length);
        for (let q = 0; q < rs.length; q++) res[q] = y[rs[q]] - F[rs[q]];
        w = quantileOf(res, tau);
      }
      tree.value[lf.node] = lr * Math.min(lf.hi, Math.max(lf.lo, w));
    }
    trees.push(tree);
    for (let i = 0; i < n; i++) F[i] += treeValueCols(tree, cols, i);
    trainLoss.push(lossValue(loss, y as number[], F));
    if (Fv && validX && validY) {
      for (let i = 0; i < validX.length; i++) Fv[i] += predictTree(tree, validX[i]);
      const vl = lossValue(loss, validY as number[], Fv);
      validLoss.push(vl);
      if (vl < best - 1e-12) { best = vl; bestRound = round + 1; }
      else if (round + 1 - bestRound >= patience) break;
    } else bestRound = round + 1;
  }
  return {
    kind: 'gbm', v: 1, loss, base, nFeatures: p, names: opts.names ? [...opts.names] : null,
    trees: trees.slice(0, bestRound), bestRound, trainLoss, validLoss,
  };
}

function treeValueCols(t: GbmTree, cols: readonly Float64Array[], i: number): number {
  let k = 0;
  while (t.feature[k] >= 0) {
    const x = cols[t.feature[k]][i];
    k = Number.isNaN(x) ? (t.missingLeft[k] ? t.left[k] : t.right[k]) : x <= t.threshold[k] ? t.left[k] : t.right[k];
  }
  return t.value[k];
}

/** Output of one tree for one row. */
export function predictTree(t: GbmTree, row: Row): number {
  let k = 0;
  while (t.feature[k] >= 0) {
    const x = row[t.feature[k]];
    k = isMissing(x) ? (t.missingLeft[k] ? t.left[k] : t.right[k]) : (x as number) <= t.threshold[k] ? t.left[k] : t.right[k];
  }
  return t.value[k];
}

/** Prediction of one row. */
export function predictRow(m: GbmModel, row: Row): number {
  let s = m.base;
  for (const t of m.trees) s += predictTree(t, row);
  return s;
}

/** Predictions of many rows. Rows must have the model's feature count. */
export function predictGbm(m: GbmModel, X: readonly Row[]): number[] {
  return X.map((r) => {
    if (r.length !== m.nFeatures) throw new RangeError(`gbm: row has ${r.length} features, model ${m.nFeatures}`);
    return predictRow(m, r);
  });
}

/** Gain-free importance: how many splits use each feature (for reading a model). */
export function splitCounts(m: GbmModel): number[] {
  const c = new Array(m.nFeatures).fill(0);
  for (const t of m.trees) for (const f of t.feature) if (f >= 0) c[f]++;
  return c;
}

/** A model back from JSON, checked enough that a corrupt file gives a clear error. */
export function gbmFromJson(o: unknown): GbmModel {
  const m = o as GbmModel;
  if (!m || m.kind !== 'gbm' || m.v !== 1 || !Array.isArray(m.trees) || !Number.isFinite(m.base) || !Number.isInteger(m.nFeatures)) {
    throw new TypeError('gbm: not a version-1 gbm model');
  }
  for (const t of m.trees) {
    const len = t.feature?.length;
    if (!len || [t.threshold, t.missingLeft, t.left, t.right, t.value].some((a) => !Array.isArray(a) || a.length !== len)) {
      throw new TypeError('gbm: a tree has arrays of different lengths');
    }
  }
  return m;
}
