/**
 * The deck draw gate (client/src/map/drawGate.ts): a layer change and a camera move in the same
 * frame give one deck draw, in the map's render. The map is a stand-in with maplibre-gl's event
 * order ('render' listeners run in the order they were added; `_frameRequest` is set while a frame
 * is scheduled) and the overlay's listener in between the gate's two, as MapView.tsx adds them;
 * the browser test (e2e.test.ts) and bench/client.ts (BENCH_DIAG=1) run the real map and deck.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawGate, type GateMap } from '../../client/src/map/drawGate.ts';

function setup() {
  const listeners: (() => void)[] = [];
  const map: GateMap & { render(cameraMoved: boolean): void } = {
    _frameRequest: null,
    on: (_t, fn) => listeners.push(fn),
    off: (_t, fn) => { const i = listeners.indexOf(fn); if (i >= 0) listeners.splice(i, 1); },
    // The map's frame: draw the basemap, then fire 'render'.
    render(cameraMoved: boolean) {
      map._frameRequest = null;
      moved = cameraMoved;
      for (const fn of [...listeners]) fn();
    },
  };
  let moved = false;
  const draws: string[] = [];
  const gate = drawGate();
  gate.attachBefore(map);
  // MapboxOverlay's 'render' listener: new viewState, then deck.redraw(), which draws (through the
  // gate) only when something changed.
  map.on('render', () => { if (moved) gate.render('viewState changed'); });
  gate.attachAfter(map, { _drawLayers: (r) => draws.push(r) });
  return { map, gate, draws };
}

describe('deck draw gate', () => {
  it('a still map: a layer change draws at once from deck\'s loop (no basemap render needed)', () => {
    const { gate, draws } = setup();
    gate.render('layers changed');
    expect(draws).toEqual(['layers changed']);
  });

  it('a moving map: the layer change waits for the map\'s render, which draws once', () => {
    const { map, gate, draws } = setup();
    map._frameRequest = {};
    gate.render('layers changed'); // deck's loop runs first in the frame
    expect(draws).toEqual([]);
    map.render(true);
    expect(draws).toEqual(['viewState changed']);
    expect(gate.stats).toEqual({ drawn: 1, deferred: 1 });
  });

  it('a deferred draw is not lost when the map renders without moving (e.g. a tile loaded)', () => {
    const { map, gate, draws } = setup();
    map._frameRequest = {};
    gate.render('layers changed');
    map.render(false);
    expect(draws).toEqual(['layers changed']);
    map.render(false);
    expect(draws).toEqual(['layers changed']);
  });

  it('after detach nothing draws', () => {
    const { map, gate, draws } = setup();
    gate.detach(map);
    gate.render('layers changed');
    map.render(true);
    expect(draws).toEqual([]);
  });

  it('any sequence: from a map frame being scheduled to its render, one draw if anything changed, never two', () => {
    // Steps: 'p' = a frame is scheduled for the map (a pan, a tile), 'l' = deck's loop asks for a
    // draw (layers changed), 'm' / 's' = the map's frame with the camera moved / still.
    fc.assert(fc.property(fc.array(fc.constantFrom('m', 's', 'l', 'p'), { maxLength: 40 }), (steps) => {
      const { map, gate, draws } = setup();
      let from = 0, changed = false;
      for (const s of steps) {
        if (s === 'p') {
          if (map._frameRequest === null) { map._frameRequest = {}; from = draws.length; changed = false; }
        } else if (s === 'l') {
          gate.render('layers changed');
          if (map._frameRequest !== null) changed = true;
        } else if (map._frameRequest !== null) {
          map.render(s === 'm');
          expect(draws.length - from).toBe(changed || s === 'm' ? 1 : 0);
        }
      }
    }));
  });
});
