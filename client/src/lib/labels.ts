/**
 * Station-name placement without overlaps. deck.gl's TextLayer draws every label where it is told
 * (collision filtering is in @deck.gl/extensions, not installed), so close stations (东四, 天坛,
 * 农展馆 in central Beijing) printed their names over each other. This picks, per station in
 * priority order, the first of below / right / left / above where the label's box hits neither a
 * label already placed nor another station's marker (nor leaves the `bounds`, when given), and
 * hides the name when none fits. Pure: screen positions in, pixel offsets out.
 */

export interface LabelIn {
  /** marker centre, screen px */
  x: number;
  y: number;
  /** label box size, px */
  w: number;
  h: number;
}

/** Pixel offset of the label's centre from the marker's centre, or null (not shown). */
export type LabelOffset = [number, number] | null;

interface Box { x0: number; y0: number; x1: number; y1: number }
const hit = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Offsets for `labels` around markers of radius `r` (px), `gap` px between marker and label. */
export function placeLabels(labels: readonly LabelIn[], r: number, gap: number, bounds?: Box): LabelOffset[] {
  const markers: Box[] = labels.map((l) => ({ x0: l.x - r, y0: l.y - r, x1: l.x + r, y1: l.y + r }));
  const placed: Box[] = [];
  return labels.map((l, i) => {
    const cands: [number, number][] = [
      [0, r + gap + l.h / 2],
      [r + gap + l.w / 2, 0],
      [-(r + gap + l.w / 2), 0],
      [0, -(r + gap + l.h / 2)],
    ];
    for (const [dx, dy] of cands) {
      const b: Box = { x0: l.x + dx - l.w / 2, y0: l.y + dy - l.h / 2, x1: l.x + dx + l.w / 2, y1: l.y + dy + l.h / 2 };
      if (bounds && (b.x0 < bounds.x0 || b.y0 < bounds.y0 || b.x1 > bounds.x1 || b.y1 > bounds.y1)) continue;
      if (placed.some((p) => hit(p, b))) continue;
      if (markers.some((m, j) => j !== i && hit(m, b))) continue;
      placed.push(b);
      return [dx, dy];
    }
    return null;
  });
}

/** Web Mercator pixel position at a zoom (MapLibre's 512-px world), for relative placement. */
export function mercatorPx(lon: number, lat: number, zoom: number): [number, number] {
  const size = 512 * 2 ** zoom;
  const s = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
}

/** Width of a label in px at font size `px`: CJK ideographs 1 em, other characters ~0.6 em. */
export function labelWidth(text: string, px: number): number {
  let em = 0;
  for (const ch of text) em += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.6;
  return em * px;
}
