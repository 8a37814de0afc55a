/**
 * One deck draw per map frame (issue #5). The overlaid MapboxOverlay has two callers of
 * `deck.redraw()`: the map's 'render' event (after deck.setProps({viewState}), so the overlay
 * follows the camera) and deck's own animation loop (every animation frame, for layer changes,
 * async props, transitions). When a layer change and a camera move land in the same frame, each
 * draws once: with 10,000 stations in SwiftShader that second rasterisation was the cost of an
 * update (bench/client.ts, BENCH_DIAG=1: every updating frame drew "layers changed" from deck's
 * loop, then "viewState changed" from the map's render).
 *
 * The gate is deck's `_customRender` (the hook the interleaved mode uses to hand drawing to the
 * map, @deck.gl/mapbox deck-utils.ts): a draw asked for outside the map's 'render' while the map
 * has a frame of its own scheduled waits for that frame; the map's render then draws once with
 * both the new layers and the new camera. With no map frame scheduled (a still map), deck draws at
 * once as before, without making the basemap render again.
 */

/** What the gate needs of the map (maplibre-gl Map). */
export interface GateMap {
  on(type: 'render', fn: () => void): unknown;
  off(type: 'render', fn: () => void): unknown;
  /** maplibre-gl's pending animation-frame request (private; null when no frame is scheduled) */
  _frameRequest?: unknown;
}

/** What the gate needs of deck (Deck). */
export interface GateDeck {
  _drawLayers(reason: string): void;
}

export interface DrawGate {
  /** deck's `_customRender` */
  render(reason: string): void;
  /** call BEFORE the overlay is added to the map: its 'render' listener must run inside the gate */
  attachBefore(map: GateMap): void;
  /** call AFTER the overlay is added, with its deck */
  attachAfter(map: GateMap, deck: GateDeck): void;
  detach(map: GateMap): void;
  /** draws done / deferred to the map's render (debug hook) */
  readonly stats: { drawn: number; deferred: number };
}

export function drawGate(): DrawGate {
  let deck: GateDeck | null = null;
  let map: GateMap | null = null;
  let inMapRender = false;
  let pending: string | null = null;
  const stats = { drawn: 0, deferred: 0 };
  const draw = (reason: string) => {
    pending = null;
    stats.drawn++;
    deck!._drawLayers(reason);
  };
  // maplibre-gl 3-6 keep the request in `_frameRequest`; a map without the field (another
  // version) is treated as having no frame scheduled, i.e. deck draws at once as without the gate.
  const mapFramePending = () => !!map && map._frameRequest != null;
  const enter = () => { inMapRender = true; };
  const leave = () => {
    inMapRender = false;
    // The overlay redraws only if deck thinks it must (its flags were cleared when the draw was
    // deferred): draw what waited if the camera did not move.
    if (pending !== null && deck) draw(pending);
  };
  return {
    stats,
    render(reason) {
      if (!deck) return;
      if (inMapRender || !mapFramePending()) draw(reason);
      else { pending = reason; stats.deferred++; }
    },
    attachBefore(m) { map = m; m.on('render', enter); },
    attachAfter(m, d) { deck = d; m.on('render', leave); },
    detach(m) { m.off('render', enter); m.off('render', leave); deck = null; map = null; pending = null; },
  };
}
