/**
 * `airdesk gateway`: run the ingest gateway (MQTT -> spool -> store) in the foreground.
 * Configuration comes from the environment only (gateway/config.ts lists every variable).
 */
import type { Command } from 'commander';
import { GATEWAY_ENV } from '../../gateway/config.ts';

export function register(program: Command): void {
  program
    .command('gateway')
    .description('run the ingest gateway: MQTT -> validate -> durable spool -> store (config from env)')
    .option('--print-env', 'list the environment variables the gateway reads, with defaults, and exit')
    .action(async (o: { printEnv?: boolean }) => {
      if (o.printEnv) {
        // One write, so `| head` ends it cleanly.
        process.stdout.write(Object.entries(GATEWAY_ENV).map(([k, [def, what]]) => `# ${what}\n${k}=${def}\n`).join(''));
        return;
      }
      const { runGateway } = await import('../../gateway/main.ts');
      await runGateway(process.env);
    });
}
