/**
 * Settings the application changes at run time (what `.env` cannot: an admin's choice made in the
 * UI), as key -> JSON value with who set it and when. Every set and unset is audited with the
 * value before and after, in the same transaction.
 */
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.ts';
import { type Actor, actor, ident, json, parseJson } from './check.ts';
import { type RecordsContext, lockStream, read, write } from './context.ts';
import type { SettingsTable } from './schema.ts';

export interface Setting<T = unknown> {
  key: string;
  value: T;
  updatedAt: number;
  updatedBy: string;
}

export interface Settings {
  get<T = unknown>(key: string): Promise<Setting<T> | null>;
  all(): Promise<Setting[]>;
  set<T>(key: string, value: T, by: Actor): Promise<Setting<T>>;
  /** Remove a key; returns false when it was not set. */
  unset(key: string, by: Actor): Promise<boolean>;
}

function decode<T>(r: Selectable<SettingsTable>): Setting<T> {
  return { key: r.key, value: parseJson(r.value) as T, updatedAt: Number(r.updated_at), updatedBy: r.updated_by };
}

const key = (k: unknown) => ident('setting key', k, 128);

export function createSettings(ctx: RecordsContext): Settings {
  return {
    get: <T>(k: string) => read(ctx, 'settings get', async (db) => {
      const r = await db.selectFrom('settings').selectAll().where('key', '=', key(k)).executeTakeFirst();
      return r ? decode<T>(r) : null;
    }),
    all: () => read(ctx, 'settings all', async (db) => (await db.selectFrom('settings').selectAll().orderBy('key').execute()).map((r) => decode(r))),
    set: async <T>(k: string, value: T, by: Actor) => {
      const who = actor(by);
      const row = { key: key(k), value: json('setting value', value), updated_by: who.who };
      return write(ctx, 'settings set', async (trx) => {
        await lockStream(ctx, trx, `setting:${row.key}`);
        const now = ctx.clock();
        const old = await trx.selectFrom('settings').selectAll().where('key', '=', row.key).executeTakeFirst();
        const full = { ...row, updated_at: now };
        if (old) await trx.updateTable('settings').set(full).where('key', '=', row.key).execute();
        else await trx.insertInto('settings').values(full).execute();
        await appendAudit(trx, now, { action: 'setting.set', target: `setting:${row.key}`, before: old ? parseJson(old.value) : null, after: value }, who);
        return decode<T>(full);
      });
    },
    unset: async (k: string, by: Actor) => {
      const kk = key(k);
      const who = actor(by);
      return write(ctx, 'settings unset', async (trx) => {
        const old = await trx.selectFrom('settings').selectAll().where('key', '=', kk).executeTakeFirst();
        if (!old) return false;
        await trx.deleteFrom('settings').where('key', '=', kk).execute();
        await appendAudit(trx, ctx.clock(), { action: 'setting.unset', target: `setting:${kk}`, before: parseJson(old.value), after: null }, who);
        return true;
      });
    },
  };
}
