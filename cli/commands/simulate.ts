/**
 * `airdesk simulate`: run the simulated city against an MQTT broker (simulators/publish.ts).
 *   airdesk simulate --scenario o3 --seed 1 --speed 3600 --mqtt mqtt://127.0.0.1:1883
 *   airdesk simulate --scenario pm --from 2016-12-10 --to 2016-12-18      (backfill, then exit)
 *   airdesk simulate --stations 500 --rate 2000 --duration 60             (load)
 */
import type { Command } from 'commander';
import { startSimulator } from '../../simulators/publish.ts';
import { SCENARIOS, type ScenarioName } from '../../simulators/scenarios.ts';
import { formatBeijing } from '#common/time.ts';

/** ISO date or date-time; a time without an offset is Beijing time (what operators type). */
export function parseWhen(s: string): number {
  const withOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00+08:00` : withOffset ? s : `${s}+08:00`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not a date: ${s}`);
  return t;
}

const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
  return n;
};

export function register(program: Command): void {
  program
    .command('simulate')
    .description('publish a simulated city (12 Beijing stations, met, 2 VOC analyzers) over MQTT')
    .option('--scenario <name>', `one of ${SCENARIOS.join('|')}`, 'normal')
    .option('--seed <seed>', 'random seed (same seed + scenario + start = same data)', '1')
    .option('--speed <x>', 'simulated seconds per second (3600 = one hour per second)', num('speed'))
    .option('--mqtt <url>', 'broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)')
    .option('--format <fmt>', 'json | hj212 (HJ 212-2017 CN 2061 packets on hj212/22/{MN}/2061)', 'json')
    .option('--stations <n>', 'total stations (extra synthetic ones around the city)', num('stations'))
    .option('--rate <r>', 'messages per second in total (load mode)', num('rate'))
    .option('--from <iso>', 'first hour (Beijing time unless an offset is given)')
    .option('--to <iso>', 'last hour: backfill from..to, then exit')
    .option('--start <iso>', 'scenario start day (default: chosen so the episode shows)')
    .option('--backfill <hours>', 'live mode: publish the last N hours at start', num('backfill'))
    .option('--no-voc', 'leave out the VOC analyzers')
    .option('--duration <s>', 'stop after this many seconds', num('duration'))
    .action(async (o) => {
      if (!SCENARIOS.includes(o.scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join('|')}`);
      if (o.format !== 'json' && o.format !== 'hj212') throw new Error('--format must be json or hj212');
      const mqttUrl = o.mqtt ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
      const sim = await startSimulator({
        mqttUrl,
        scenario: o.scenario as ScenarioName,
        seed: o.seed,
        speed: o.speed,
        format: o.format,
        stations: o.stations,
        rate: o.rate,
        from: o.from ? parseWhen(o.from) : undefined,
        to: o.to ? parseWhen(o.to) : undefined,
        start: o.start ? parseWhen(o.start) : undefined,
        backfillHours: o.backfill,
        voc: o.voc,
        log: (l) => console.error(l),
      });
      const report = () => {
        const s = sim.stats();
        console.error(`simulate: ${s.published} messages published, ${s.errors} errors, simulated time ${s.simTime ? formatBeijing(s.simTime) : '-'} (Beijing)`);
      };
      const progress = setInterval(report, 10_000);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        clearInterval(progress);
        await sim.stop();
        report();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timers: Promise<void>[] = [sim.done];
      if (o.duration) timers.push(new Promise((r) => setTimeout(r, o.duration * 1000).unref()));
      await Promise.race(timers);
      await stop();
    });
}
