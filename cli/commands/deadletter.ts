/**
 * `airdesk deadletter`: what the gateway rejected, from its spool (read-only, safe while the
 * gateway runs). Summary by reason; `--list N` the newest N with detail; `--json` for scripts.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { REASONS } from '#common/ingest/reasons.ts';
import { formatBeijing } from '#common/time.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { Spool } from '../../gateway/spool.ts';
import { deadLetterSummary } from '../../gateway/dead-letters.ts';

function preview(raw: Uint8Array, n = 120): string {
  const s = Buffer.from(raw).toString('utf8').replace(/[\x00-\x1f\x7f\ufffd]/g, '.');
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

export function register(program: Command): void {
  program
    .command('deadletter')
    .description('show messages the gateway rejected, counted by reason (from the gateway spool)')
    .option('--list <n>', 'list the N most recent dead letters with detail')
    .option('--reason <code>', 'only this reason code (with --list)')
    .option('--json', 'print JSON')
    .option('--spool <file>', 'spool file (default AIRDESK_SPOOL_PATH or $AIRDESK_DATA_DIR/gateway-spool.sqlite)')
    .action((o: { list?: string; reason?: string; json?: boolean; spool?: string }) => {
      const file = o.spool ?? loadGatewayConfig(process.env).spoolPath;
      if (!existsSync(file)) throw new Error(`no gateway spool at ${file} (has the gateway run? set AIRDESK_SPOOL_PATH or --spool)`);
      const spool = new Spool(file, { readonly: true });
      try {
        if (o.list !== undefined) {
          const n = Number(o.list);
          if (!Number.isInteger(n) || n < 1) throw new Error('--list needs a positive integer');
          const rows = spool.recentDeadLetters(n, o.reason);
          if (o.json) {
            console.log(JSON.stringify(rows.map((r) => ({ ...r, raw: Buffer.from(r.raw).toString('base64') })), null, 2));
            return;
          }
          for (const r of rows) {
            console.log(`#${r.id} ${formatBeijing(r.time)} ${r.reason}  ${r.topic}\n    ${r.detail}\n    ${r.size} bytes: ${preview(r.raw)}`);
          }
          if (rows.length === 0) console.log('no dead letters');
          return;
        }
        // The same summary the server's /api/dead-letters/summary gives (gateway/dead-letters.ts).
        const sum = deadLetterSummary(spool).byReason;
        if (o.json) {
          console.log(JSON.stringify(sum.map((s) => ({ ...s, meaning: REASONS[s.reason as keyof typeof REASONS] ?? null })), null, 2));
          return;
        }
        if (sum.length === 0) {
          console.log('no dead letters');
          return;
        }
        const total = sum.reduce((a, s) => a + s.count, 0);
        const last = (t: number | null) => (t === null ? '-' : formatBeijing(t));
        const w = Math.max(...sum.map((s) => s.reason.length));
        for (const s of sum) {
          console.log(`${String(s.count).padStart(8)}  ${s.reason.padEnd(w)}  last ${last(s.last)}  ${REASONS[s.reason as keyof typeof REASONS] ?? ''}`);
        }
        console.log(`${String(total).padStart(8)}  total`);
      } finally {
        spool.close();
      }
    });
}
