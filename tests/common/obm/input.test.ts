import { describe, expect, it } from 'vitest';
import { checkObmInput, fillCyclic, keySpecies, prepareInput, toBoxRun } from '../../../common/obm/input.ts';
import { CB05_DIAGNOSTICS } from '../../../common/obm/box.ts';
import { CB05_LUMPING, lumpVoc } from '../../../common/obm/lumping.ts';
import { SPECIES, SPECIES_BY_ID } from '../../../common/voc/species.ts';
import { CB05_TEXT, fixture, kineticsOf } from './helpers.ts';

const kin = kineticsOf(CB05_TEXT);
const good = fixture('urban-summer-day.json') as Record<string, unknown> & { hours: Record<string, unknown>[] };
const clone = () => JSON.parse(JSON.stringify(good)) as typeof good;

describe('OBM input validation', () => {
  it('accepts the example fixtures', () => {
    expect(checkObmInput(good).ok).toBe(true);
    expect(checkObmInput(fixture('suburban-low-nox-day.json')).ok).toBe(true);
  });

  const cases: [string, (x: ReturnType<typeof clone>) => unknown, string, RegExp][] = [
    ['not an object', () => [1, 2], '', /JSON object/],
    ['wrong version', (x) => ({ ...x, v: 2 }), 'v', /must be 1/],
    ['unknown top field', (x) => ({ ...x, sitee: {} }), 'sitee', /unknown field/],
    ['latitude out of range', (x) => ({ ...x, site: { lat: 91, lon: 0 } }), 'site.lat', /-90..90/],
    ['bad date', (x) => ({ ...x, date: '2024-7-20' }), 'date', /YYYY-MM-DD/],
    ['23 hours', (x) => ({ ...x, hours: x.hours.slice(1) }), 'hours', /24 hourly/],
    ['duplicate hour', (x) => { x.hours[1]!.hour = 0; return x; }, 'hours[1].hour', /appears twice/],
    ['temperature as text', (x) => { x.hours[5]!.tempC = '26'; return x; }, 'hours[5].tempC', /must be a number/],
    ['NaN-like pressure', (x) => { x.hours[5]!.pressureHPa = null; return x; }, 'hours[5].pressureHPa', /must be a number/],
    ['negative NOx', (x) => { x.hours[5]!.nox = -3; return x; }, 'hours[5].nox', /0..5000/],
    ['nox and no together', (x) => { x.hours[5]!.no = 1; x.hours[5]!.no2 = 2; return x; }, 'hours[5].nox', /not both/],
    ['no without no2', (x) => { delete x.hours[5]!.nox; x.hours[5]!.no = 1; return x; }, 'hours[5].no', /go together/],
    ['unknown hour field', (x) => { x.hours[5]!.pm25 = 30; return x; }, 'hours[5].pm25', /unknown field/],
    ['voc not an object', (x) => { x.hours[5]!.voc = [1]; return x; }, 'hours[5].voc', /species -> ppb/],
    ['voc value text', (x) => { (x.hours[5]!.voc as Record<string, unknown>).toluene = 'high'; return x; }, 'hours[5].voc.toluene', /number/],
    ['unknown setting', (x) => ({ ...x, settings: { spinup: 2 } }), 'settings.spinup', /unknown setting/],
    ['fractional spin-up', (x) => ({ ...x, settings: { spinupDays: 1.5 } }), 'settings.spinupDays', /integer/],
    ['huge deposition', (x) => ({ ...x, settings: { depositionPerS: { O3: 1 } } }), 'settings.depositionPerS.O3', /0..0.01/],
  ];
  it.each(cases)('%s: rejected with its path', (_n, mutate, path, msg) => {
    const r = checkObmInput(mutate(clone()));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    expect(hit!.message).toMatch(msg);
  });

  it('unknown VOC names and mechanism species are errors, not silently dropped', () => {
    const x = clone();
    (x.hours[3]!.voc as Record<string, number>)['unobtainium'] = 1;
    const c = checkObmInput({ ...x, initial: { O3: 20, FOO: 1 } });
    if (!c.ok) throw new Error('should pass the shape check');
    const p = prepareInput(c.value, kin);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.errors.map((e) => e.path)).toEqual(['hours[3].voc.unobtainium', 'initial.FOO']);
  });

  it('resolves vendor spellings, lists unreactive species, fills a missing hour by interpolation', () => {
    const c = checkObmInput(good);
    if (!c.ok) throw new Error();
    const p = prepareInput(c.value, kin);
    if (!p.ok) throw new Error();
    expect(p.value.voc.has('mp-xylene')).toBe(true); // given as "m/p-xylene"
    expect(p.value.unused.map((u) => u.path)).toEqual(['voc.dichloromethane']);
    const tol = p.value.voc.get('toluene')!; // hour 3 absent in the fixture
    expect(tol[3]).toBeCloseTo((tol[2]! + tol[4]!) / 2, 12);
    expect(keySpecies(p.value, 3)).toHaveLength(3);
    const run = toBoxRun(p.value, kin, CB05_DIAGNOSTICS, { nox: 0.5 });
    expect(run.hours[0]!.noxPpb).toBeCloseTo(p.value.nox![0]! * 0.5, 12);
    expect(run.startUtcMs).toBe(Date.UTC(2024, 6, 19, 16));
  });

  it('fillCyclic wraps around the day and gives null for an empty series', () => {
    expect(fillCyclic([null, 2, null, 4])).toEqual([3, 2, 3, 4]);
    expect(fillCyclic([null, null])).toBeNull();
  });
});

describe('CB05 lumping of the analyzer species', () => {
  // Carbon carried by each CB05 model species (Yarwood et al. 2005, species table).
  const C: Record<string, number> = { PAR: 1, OLE: 2, IOLE: 4, ETH: 2, ETHA: 2, TOL: 7, XYL: 8, ISOP: 5, FORM: 1, ALD2: 2, ALDX: 2, MEOH: 1, ETOH: 2, ISPD: 4 };
  it('covers all 57 PAMS targets and isoprene', () => {
    const missing = SPECIES.filter((s) => (s.pams || s.id === 'isoprene') && !CB05_LUMPING[s.id]).map((s) => s.id);
    expect(missing).toEqual([]);
  });
  it.each(Object.entries(CB05_LUMPING))('%s never creates carbon (model C <= molecule C)', (id, row) => {
    const s = SPECIES_BY_ID.get(id);
    expect(s, `${id} is not in common/voc/species.ts`).toBeDefined();
    const modelC = row.reduce((a, [m, k]) => a + C[m]! * k, 0);
    expect(modelC).toBeLessThanOrEqual(s!.carbon + 1e-9);
    if (s!.group === 'alkane' && id !== 'propane' && id !== 'ethane' && !/dimethyl|trimethyl/.test(id)) expect(modelC).toBe(s!.carbon);
  });
  it('sums species onto model species', () => {
    expect(lumpVoc({ '1-butene': 2, propylene: 1, 'dichloromethane': 5 })).toEqual({ model: { OLE: 3, PAR: 5 }, unreactive: ['dichloromethane'] });
  });
});
