/**
 * `airdesk start` (what `npm start` runs): the whole system on embedded defaults, or on a real
 * broker and InfluxDB when MQTT_URL / INFLUX_URL are set. Builds the client first if it is missing.
 * Environment: system/config.ts (the server's and the gateway's variables, plus START_ENV).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { startStack } from '../../system/stack.ts';
import { readStartConfig } from '../../system/config.ts';

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
      if (!existsSync(`${cfg.clientDir}/index.html`)) {
        logger.info('building the client (first start only)');
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
