/** An issued warning, its history and the recommendation survive a restart (the system of record,
 *  a file here as under `npm start`), and the restart adds no step. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { openRecords } from '../../records/open.ts';
import { makeServer, bj, seedToken } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('warning state across a restart', () => {
  it('the warning in force and its history come back unchanged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-warn-'));
    dirs.push(dir);
    const store = await openSqliteStore(path.join(dir, 'ts.sqlite'));
    const config = { statePath: path.join(dir, 'server-state.json') };
    const now = bj('2026-07-01', 10);
    const recordsFile = path.join(dir, 'records.sqlite');
    const ra = await openRecords({ sqlitePath: recordsFile });
    const a = await makeServer({ store, clock: () => now, config, records: ra });
    await a.start();
    const duty = await seedToken(a.app, 'lead_forecaster');
    await a.app.inject({ method: 'POST', url: '/api/forecasts', headers: duty.headers, payload: { city: 'Xcity', days: [{ day: '2026-07-01', aqi: 230 }, { day: '2026-07-02', aqi: 240 }] } });
    const r = await a.app.inject({ method: 'POST', url: '/api/warnings/actions', headers: duty.headers, payload: { city: 'Xcity', scheme: '2024', action: 'issue', level: 'orange', by: 'desk' } });
    expect(r.statusCode).toBe(200);
    const before = (await a.app.inject({ url: '/api/warnings?city=Xcity&scheme=2024' })).json().warnings[0];
    await a.close();
    await ra.close();
    const rb = await openRecords({ sqlitePath: recordsFile });
    const steps = (await rb.warnings.history({ city: 'Xcity', scheme: '2024' })).length;
    expect(steps).toBe(before.history.length);
    const b = await makeServer({ store, clock: () => now, config, records: rb });
    await b.start();
    const after = (await b.app.inject({ url: '/api/warnings?city=Xcity&scheme=2024' })).json().warnings[0];
    expect(after).toMatchObject({ status: 'in-force', inForce: before.inForce, history: before.history, level: 'orange' });
    expect(await rb.warnings.history({ city: 'Xcity', scheme: '2024' })).toHaveLength(steps);
    await b.close();
    await rb.close();
    await store.close();
  });
});
