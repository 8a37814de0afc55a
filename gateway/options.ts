/**
 * GatewayConfig (gateway/config.ts, from the environment) -> buildGateway options, in one place,
 * so the `airdesk gateway` process (main.ts) and the whole system in one process (system/stack.ts)
 * give every AIRDESK_* gateway variable the same meaning. Reads the HJ 212 JSON files it names.
 */
import { readFileSync } from 'node:fs';
import { AMBIENT_FACTORS, type FactorInfo } from '#common/hj212/index.ts';
import { quantityKey } from '#common/pollutants.ts';
import type { GatewayOptions } from './app.ts';
import { ConfigError, type GatewayConfig } from './config.ts';

function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${what} ${file}: ${(err as Error).message}`);
  }
}

function loadFactors(file: string | undefined): Record<string, FactorInfo> {
  if (!file) return { ...AMBIENT_FACTORS };
  const raw = readJsonFile(file, 'AIRDESK_HJ212_FACTORS') as Record<string, { quantity?: string; unit?: string }>;
  const out: Record<string, FactorInfo> = { ...AMBIENT_FACTORS };
  for (const [code, f] of Object.entries(raw ?? {})) {
    const q = typeof f?.quantity === 'string' ? quantityKey(f.quantity) : null;
    if (!q || typeof f.unit !== 'string') throw new ConfigError(`AIRDESK_HJ212_FACTORS: ${code} needs a known quantity and a unit`);
    out[code] = { quantity: q, unit: f.unit };
  }
  return out;
}

/** The options that come from the config (the caller adds store, logger and registry hooks). */
export function gatewayOptions(cfg: Readonly<GatewayConfig>): Omit<GatewayOptions, 'store' | 'logger' | 'isKnownStation' | 'registerStation'> {
  const mnMap = cfg.hj212MnMapFile ? (readJsonFile(cfg.hj212MnMapFile, 'AIRDESK_HJ212_MN_MAP') as Record<string, string>) : undefined;
  return {
    mqttUrl: cfg.mqttUrl,
    spoolPath: cfg.spoolPath,
    source: cfg.source,
    consumers: cfg.consumers,
    mqttTap: cfg.mqttTap,
    protocolVersion: cfg.protocolVersion,
    clientId: cfg.clientId,
    sessionExpirySec: cfg.sessionExpirySec,
    commitIntervalMs: cfg.commitIntervalMs,
    groupMax: cfg.groupMax,
    storeBatch: cfg.storeBatch,
    storeLingerMs: cfg.storeLingerMs,
    maxPayloadBytes: cfg.maxPayloadBytes,
    maxFutureMs: cfg.maxFutureMs,
    unknownStation: cfg.unknownStation,
    profiles: cfg.flatProfiles,
    deadLetters: { maxRows: cfg.deadLetterMaxRows, maxBytes: cfg.deadLetterMaxBytes, rawMaxBytes: cfg.deadLetterRawMaxBytes },
    diskMinFreeBytes: cfg.diskMinFreeBytes,
    internalKey: cfg.internalKey,
    hj212: {
      encoding: cfg.hj212Encoding,
      factors: loadFactors(cfg.hj212FactorsFile),
      mnToStation: mnMap,
      minuteRecordMinutes: cfg.hj212MinuteRecordMin,
    },
  };
}
