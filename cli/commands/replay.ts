/**
 * `airdesk replay --speed 3600 FILES...`: publish archive files (CNEMC/BJMEMC wide CSVs, UCI PRSA
 * CSVs) over MQTT as live station readings, an hour of data per 3600/speed seconds, then exit.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { replayFiles } from '../../gateway/import/replay.ts';
import { expandPaths } from '../../gateway/import/read.ts';
import { formatBeijing } from '#common/time.ts';
import { readOptions, tableOptions } from '../archive-options.ts';

export function register(program: Command): void {
  const cmd = program
    .command('replay')
    .description('publish archive CSVs over MQTT as live readings, in time order, at a given speed')
    .argument('<files...>', 'files or folders')
    .option('--speed <x>', 'hours of data per wall-clock hour (3600 = one hour of data per second)', '3600')
    .option('--mqtt <url>', 'broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)')
    .option('--hour-label <end|start>', 'what an hour label marks (CNEMC: end)', 'end')
    .option('--json', 'print the summary as JSON');
  tableOptions(cmd).action(async (paths: string[], o) => {
      const speed = Number(o.speed);
      if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed must be a positive number, got ${o.speed}`);
      if (o.hourLabel !== 'end' && o.hourLabel !== 'start') throw new Error('--hour-label must be end or start');
      const files = expandPaths(paths);
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      let bar: cliProgress.SingleBar | null = null;
      let lastLine = 0;
      const summary = await replayFiles(files, {
        mqttUrl: o.mqtt ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
        speed,
        hourLabel: o.hourLabel,
        read: readOptions(o),
        signal: abort.signal,
        onProgress: (p) => {
          if (process.stderr.isTTY) {
            if (!bar) {
              bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'replay [{bar}] {value}/{total} hours | {published} messages | {when} (Beijing)' }, cliProgress.Presets.shades_classic);
              bar.start(p.hours, 0, { published: 0, when: '' });
            }
            bar.update(p.hour, { published: p.published, when: formatBeijing(p.time) });
          } else if (Date.now() - lastLine > 5000 || p.hour === p.hours) {
            lastLine = Date.now();
            console.error(`replay: ${p.hour}/${p.hours} hours, ${p.published} messages, at ${formatBeijing(p.time)} (Beijing)`);
          }
        },
      });
      (bar as cliProgress.SingleBar | null)?.stop();
      if (o.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`replay: ${summary.published} messages over ${summary.hours} hours published (${summary.errors} errors); files skipped: ${JSON.stringify(summary.skippedFiles)}; lines rejected: ${summary.rejectedLines}`);
      if (summary.errors > 0) process.exitCode = 1;
    });
}
