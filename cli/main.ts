/**
 * `airdesk` operator CLI. Each subcommand lives in its own module under cli/commands/ and
 * exports `register(program)`; this file only discovers and wires them, so adding a command
 * never touches another command's file.
 */
import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const program = new Command('airdesk')
  .description('AirDesk: real-time air-quality monitoring and pollution-episode tracking')
  .showHelpAfterError();

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
// Each command file is named after its command. Loading only the one asked for keeps start-up
// fast (every module pulls in its own stack); help and unknown commands load them all.
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
const asked = `${process.argv[2] ?? ''}.ts`;
for (const f of all.includes(asked) ? [asked] : all) {
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  if (typeof mod.register === 'function') mod.register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // A CLI error is one line for the operator, never a stack trace (set DEBUG=1 for one).
  console.error(`airdesk: ${(err as Error).message}`);
  if (process.env.DEBUG) console.error(err);
  process.exitCode = 2;
}
