/**
 * Publisher adapter: runs the pure city model (model.ts) against a clock and publishes over MQTT,
 * as stations would: JSON StationReadingMsg on aq/v1/stations/{id}/readings (or HJ 212 hourly
 * packets on hj212/22/{MN}/2061), VOC cycles on aq/v1/voc/{analyzer}/cycles, and a retained
 * status per station with an MQTT last will ("offline") so a killed simulator shows stations
 * going offline.
 *
 * Modes:
 *  - live (speed 1): each hour is published when it ends on the wall clock.
 *  - accelerated (speed S > 1): simulated time runs S times faster, from `from` (default: placed
 *    so the scenario ends when it catches up with now, see scenarioStartFor), then continues live. Never
 *    publishes a future hour (the gateway would reject it as time.future).
 *  - backfill (`to` given): hours from..to, at `speed` if given, else as fast as the broker takes
 *    them; then stops by itself.
 *  - load (`rate` given): N stations (12 real + synthetic), R messages/s in total, round-robin,
 *    simulated hours advancing one per round from `from`; wraps to `from` when it reaches now.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { HOUR_MS, DAY_MS, isoBeijing } from '#common/time.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import type { StationStatusMsg, StationReadingMsg } from '#common/schemas/reading.ts';
import { buildPacket } from '#common/hj212/index.ts';
import { createSim, simulateHour, simulateStation, toReadingMsg, beijingMidnight, type SimState } from './model.ts';
import { SCENARIO_DEFS, type ScenarioName } from './scenarios.ts';

export interface SimulatorOptions {
  mqttUrl: string;
  scenario?: ScenarioName;
  seed?: string | number;
  /** simulated seconds per wall second; 1 = real time (default) */
  speed?: number;
  /** scenario start (UTC ms); default depends on the mode, see scenarioStartFor() */
  start?: number;
  /** start of the first hour to publish (UTC ms): backfill publishes hours ending in (from, to] */
  from?: number;
  /** end of the last hour to publish (UTC ms): backfill mode, stops after it */
  to?: number;
  /** live/accelerated: also publish the last N hours at once on start (default 0) */
  backfillHours?: number;
  format?: 'json' | 'hj212';
  /** total stations (>= 12 adds synthetic ones) for load tests */
  stations?: number;
  /** messages per second in total (load mode) */
  rate?: number;
  voc?: boolean;
  /** clock, for tests */
  now?: () => number;
  /** one line per lifecycle event; never per message */
  log?: (line: string) => void;
}

export interface SimulatorStats {
  published: number;
  errors: number;
  /** end of the last simulated hour published (UTC ms) */
  simTime: number;
  done: boolean;
}

export interface Simulator {
  /** Resolves when a bounded run (backfill) has published everything; never for live runs. */
  readonly done: Promise<void>;
  stats(): SimulatorStats;
  /** Publishes offline status for every station, closes connections. */
  stop(): Promise<void>;
  readonly state: SimState;
}

/** Default scenario start. Live (speed 1): the first episode day is "today". Accelerated (speed
 *  S > 1): simulated time runs S times faster than the wall from the start until it meets the
 *  present, so the start is placed in the past such that the scenario's last hour is the one where
 *  the simulated clock catches up with the wall clock: the scenario ends at the present and live
 *  hours follow it, instead of replaying days that ended before "now" (the old start, midnight minus
 *  the scenario's length, put the end of the scenario up to a day before the present, and the
 *  readings of a `--speed 600` run up to 8 days behind the clock). With the clock meeting the
 *  present after D = (now - start) / (S - 1) wall ms and the scenario length L:
 *  start + L = now + D  =>  start = now - L (S - 1) / S. Backfill (speed undefined): now - L. */
export function scenarioStartFor(scenario: ScenarioName, now: number, live: boolean, speed?: number): number {
  const s = SCENARIO_DEFS[scenario];
  if (live) return beijingMidnight(now) - (s.episodeDays[0] ?? 0) * DAY_MS;
  const L = s.lengthDays * DAY_MS;
  const lead = speed !== undefined && speed > 1 ? (L * (speed - 1)) / speed : L;
  return Math.floor((now - lead) / HOUR_MS) * HOUR_MS;
}

/** HJ 212-2017 hourly upload (CN 2061) for one reading. DataTime is the START of the hour (7.1). */
export function readingToHj212(msg: StationReadingMsg, mn: string, qnTime: number): string {
  const end = Date.parse(msg.time);
  const dt = isoBeijing(end - HOUR_MS).replace(/[-T:]/g, '').slice(0, 14);
  const v = msg.values;
  const m = msg.met ?? {};
  const cp: Record<string, string> = { DataTime: dt };
  const put = (code: string, x: number | null | undefined) => {
    if (x === null || x === undefined) return;
    cp[`${code}-Avg`] = String(x);
    cp[`${code}-Flag`] = 'N';
  };
  // Factor codes and units as common/hj212/factors.ts (pressure in kPa per HJ 212 Table B.2).
  put('a34004', v['PM2.5']); put('a34002', v.PM10); put('a21026', v.SO2); put('a21004', v.NO2);
  put('a21005', v.CO); put('a05024', v.O3); put('a21003', v.NO); put('a21002', v.NOx);
  put('a01001', m.temp); put('a01002', m.rh);
  put('a01006', typeof m.pres === 'number' ? Math.round(m.pres * 10) / 100 : null);
  put('a01007', m.ws); put('a01008', m.wd);
  const qn = isoBeijing(qnTime).replace(/[-T:]/g, '').slice(0, 14) + String(qnTime % 1000).padStart(3, '0');
  return buildPacket({ qn, st: '22', cn: '2061', pw: '123456', mn, flag: 4, cp });
}

function connect(url: string, clientId: string, will?: { topic: string; payload: string }): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      clientId,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...(will ? { will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true } } : {}),
    });
    const onErr = (e: Error) => {
      c.end(true);
      reject(e);
    };
    c.once('connect', () => {
      c.off('error', onErr);
      resolve(c);
    });
    c.once('error', onErr);
  });
}

const status = (station: string, state: StationStatusMsg['state'], t: number): string =>
  JSON.stringify({ v: 1, station, state, time: isoBeijing(t) } satisfies StationStatusMsg);

/** Start publishing; resolves once connected and the online statuses are out. */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const scenario = opts.scenario ?? 'normal';
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const loadMode = opts.rate !== undefined;
  const bounded = opts.to !== undefined;
  const live = !loadMode && !bounded && speed === 1;
  const t0 = now();
  const start = opts.start ?? scenarioStartFor(scenario, t0, live, loadMode || bounded ? undefined : speed);
  const state = createSim({
    seed: opts.seed ?? 1,
    scenario,
    start,
    extraStations: Math.max(0, (opts.stations ?? 12) - 12),
    voc: opts.voc ?? true,
  });
  const format = opts.format ?? 'json';
  const hourCeil = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;
  const hourFloor = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;

  // ---- connections: one per real station (its own last will), one shared for the rest ----
  const realCodes = state.stations.filter((s) => s.kind === 'national').map((s) => s.code);
  const tag = `airdesk-sim-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const clients = new Map<string, MqttClient>();
  const all: MqttClient[] = [];
  try {
    for (const code of realCodes) {
      const c = await connect(opts.mqttUrl, `${tag}-${code}`, { topic: TOPICS.stationStatus(code), payload: status(code, 'offline', t0) });
      clients.set(code, c);
      all.push(c);
    }
    const shared = await connect(opts.mqttUrl, `${tag}-shared`);
    all.push(shared);
    for (const s of state.stations) if (!clients.has(s.code)) clients.set(s.code, shared);
    clients.set('*', shared);
  } catch (e) {
    for (const c of all) c.end(true);
    throw new Error(`simulator: cannot connect to ${opts.mqttUrl}: ${(e as Error).message}`);
  }
  const st: SimulatorStats = { published: 0, errors: 0, simTime: 0, done: false };
  let inflight = 0;
  let lastError = '';
  const pub = (c: MqttClient, topic: string, payload: string, retain = false) => {
    inflight++;
    c.publish(topic, payload, { qos: 1, retain }, (err) => {
      inflight--;
      if (err) {
        st.errors++;
        if (err.message !== lastError) log(`simulator: publish failed: ${(lastError = err.message)}`);
      } else st.published++;
    });
  };
  for (const s of state.stations) pub(clients.get(s.code)!, TOPICS.stationStatus(s.code), status(s.code, 'online', t0), true);

  const publishReading = (msg: StationReadingMsg) => {
    const c = clients.get(msg.station)!;
    if (format === 'hj212') pub(c, `hj212/22/${msg.station}/2061`, readingToHj212(msg, msg.station, now()));
    else pub(c, TOPICS.stationReadings(msg.station), JSON.stringify(msg));
  };
  const publishHour = (t: number) => {
    const { readings, voc } = simulateHour(state, t);
    for (const r of readings) publishReading(r);
    for (const v of voc) pub(clients.get('*')!, TOPICS.vocCycles(v.analyzer), JSON.stringify(v));
    st.simTime = t;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const finish = () => {
    st.done = true;
    resolveDone();
  };
  const MAX_INFLIGHT = 5000; // backpressure: wait for acks rather than buffer without bound

  if (loadMode) {
    // ---- load: R msg/s round-robin over stations, hours advance one per round ----
    const rate = opts.rate!;
    const from = hourCeil(opts.from ?? t0 - 30 * DAY_MS);
    let hour = from;
    let idx = 0;
    let sent = 0;
    const wall0 = now();
    const tick = () => {
      if (stopped) return;
      const due = Math.floor(((now() - wall0) / 1000) * rate);
      let budget = Math.min(due - sent, MAX_INFLIGHT - inflight);
      while (budget-- > 0) {
        const s = state.stations[idx];
        publishReading(toReadingMsg(s.code, hour, simulateStation(state, s, hour)));
        st.simTime = hour;
        sent++;
        if (++idx === state.stations.length) {
          idx = 0;
          hour += HOUR_MS;
          if (bounded && hour > opts.to!) {
            finish();
            return;
          }
          if (hour > hourFloor(now())) hour = from; // never publish the future: wrap
        }
      }
      timer = setTimeout(tick, 20);
    };
    log(`simulator: load mode, ${state.stations.length} stations, ${rate} msg/s from ${isoBeijing(from)}`);
    tick();
  } else if (bounded) {
    // ---- backfill from..to ----
    // from is the start of the first hour: the first hour published ENDS one hour later.
    let t = hourFloor(opts.from ?? opts.to! - DAY_MS) + HOUR_MS;
    const end = Math.min(hourFloor(opts.to!), hourFloor(now()));
    const perHourMs = opts.speed !== undefined ? (HOUR_MS / speed) : 0;
    log(`simulator: backfill ${isoBeijing(t)} .. ${isoBeijing(end)} (${scenario}, seed ${opts.seed ?? 1})`);
    const tick = () => {
      if (stopped) return;
      if (perHourMs === 0) {
        while (t <= end && inflight < MAX_INFLIGHT) {
          publishHour(t);
          t += HOUR_MS;
        }
      } else if (t <= end) {
        publishHour(t);
        t += HOUR_MS;
      }
      if (t > end) {
        // Bounded: done when every publish is acknowledged.
        const wait = () => (inflight === 0 || stopped ? finish() : (timer = setTimeout(wait, 10)));
        wait();
        return;
      }
      timer = setTimeout(tick, perHourMs === 0 ? 5 : perHourMs);
    };
    tick();
  } else {
    // ---- live / accelerated ----
    const simFrom = opts.from ?? (speed === 1 ? t0 : start);
    let next = hourCeil(simFrom);
    const back = opts.backfillHours ?? 0;
    if (back > 0) next = Math.min(next, hourFloor(simFrom) - (back - 1) * HOUR_MS);
    const wall0 = now();
    const simNow = () => Math.min(simFrom + (now() - wall0) * speed, now());
    log(`simulator: ${scenario} scenario, seed ${opts.seed ?? 1}, speed ${speed}, from ${isoBeijing(next)}, format ${format}`);
    const tick = () => {
      if (stopped) return;
      const tnow = simNow();
      while (next <= tnow && inflight < MAX_INFLIGHT) {
        publishHour(next);
        next += HOUR_MS;
      }
      // Sleep until the next hour is due (at most 1 s, so stop() and clock changes are noticed).
      const wait = Math.max(5, Math.min(1000, (next - tnow) / speed));
      timer = setTimeout(tick, wait);
    };
    tick();
  }

  return {
    done,
    state,
    stats: () => ({ ...st }),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      const t = now();
      for (const s of state.stations) pub(clients.get(s.code)!, TOPICS.stationStatus(s.code), status(s.code, 'offline', t), true);
      // Wait (bounded) for the acks of what is in flight, then close cleanly (no will).
      const deadline = Date.now() + 5000;
      while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await Promise.all(all.map((c) => c.endAsync().catch(() => {})));
      finish();
    },
  };
}
