/** `airdesk serve`: run the API + live server (system/serve.ts). Options override the environment. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the AirDesk server (REST API, socket.io live push, dashboard); env: see docs/api.md')
    .option('-p, --port <port>', 'port (env PORT, default 8080)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--mqtt <url>', 'MQTT broker with the internal readings topic (env MQTT_URL)')
    .action(async (opts: { port?: string; host?: string; mqtt?: string }) => {
      const env = { ...process.env };
      if (opts.port) env.PORT = opts.port;
      if (opts.host) env.HOST = opts.host;
      if (opts.mqtt) env.MQTT_URL = opts.mqtt;
      const { main } = await import('../../system/serve.ts');
      await main(env);
    });
}
