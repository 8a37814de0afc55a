/**
 * `airdesk start` (what `npm start` runs): the whole system on embedded defaults, or on a real
 * broker and InfluxDB when MQTT_URL / INFLUX_URL are set. Builds the client first if it is missing
 * or older than its sources (after a `git pull`, the old client would not match the new server).
 * Environment: system/config.ts (the server's and the gateway's variables, plus START_ENV).
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { startStack } from '../../system/stack.ts';
import { readStartConfig } from '../../system/config.ts';

/** Newest modification time (ms) of the client's sources: client/, vite.config.ts, common/ (which the
 *  client imports). */
function newestSource(roots: readonly string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(path.join(p, n));
    else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const r of roots) walk(r);
  return newest;
}

/** The built client is missing or older than its sources. */
export function clientStale(clientDir: string, roots: readonly string[] = ['client', 'common', 'vite.config.ts']): boolean {
  const built = statSync(path.join(clientDir, 'index.html'), { throwIfNoEntry: false });
  return !built || newestSource(roots) > built.mtimeMs;
}

export function register(program: Command): void {
  program
    .command('start')
    .description('run broker (embedded unless MQTT_URL), store (SQLite unless INFLUX_URL), gateway, server and a simulated city')
    .option('--scenario <name>', 'simulated city scenario: normal | o3 | pm | dust (env AIRDESK_SCENARIO)')
    .option('--speed <n>', 'simulated seconds per second (env AIRDESK_SIM_SPEED)')
    .option('--no-simulate', 'do not run the simulated city (env AIRDESK_SIMULATE=0)')
    .action(async (o: { scenario?: string; speed?: string; simulate: boolean }) => {
      const cfg = readStartConfig({
        ...process.env,
        ...(o.scenario ? { AIRDESK_SCENARIO: o.scenario } : {}),
        ...(o.speed ? { AIRDESK_SIM_SPEED: o.speed } : {}),
        ...(o.simulate === false ? { AIRDESK_SIMULATE: '0' } : {}),
      });
      const logger = pino({ level: cfg.logLevel, base: { app: 'airdesk' } });
      if (clientStale(cfg.clientDir)) {
        logger.info(existsSync(`${cfg.clientDir}/index.html`) ? 'building the client (its sources changed)' : 'building the client (first start)');
        const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error('client build failed (npx vite build)');
      }
      const stack = await startStack({
        logger,
        dataDir: cfg.dataDir,
        port: cfg.port,
        host: cfg.host,
        mqttUrl: cfg.mqttUrl,
        mqttPort: cfg.mqttPort,
        brokerAnonymous: cfg.brokerAnonymous,
        influxUrl: cfg.influxUrl,
        databaseUrl: cfg.databaseUrl,
        simulate: cfg.simulate,
        scenario: cfg.scenario,
        seed: cfg.seed,
        speed: cfg.speed,
        backfillHours: cfg.backfillHours,
        simStart: cfg.simStart,
        // The server and the gateway read the environment as `airdesk serve` / `airdesk gateway` do.
        server: cfg.server,
        gateway: cfg.gateway,
      });
      // The one line a new user needs.
      console.log(`\nAirDesk is running: ${stack.url}   (wall display: ${stack.url}/wall, API docs: ${stack.url}/docs)\n`);
      let stopping = false;
      const shutdown = async () => {
        if (stopping) return;
        stopping = true;
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        await stack.stop();
        clearTimeout(force);
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
