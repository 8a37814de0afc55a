/** Test helpers: free ports, an own Mosquitto or influxd on loopback, polling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export function tmpDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `airdesk-${prefix}-`));
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 25): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function waitPort(port: number, timeoutMs: number): Promise<void> {
  return until(
    () => new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    }),
    timeoutMs, `port ${port}`, 50,
  );
}

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];

/** A Mosquitto of the test's own, from the shipped template (deploy/mosquitto.conf.tmpl). */
/** Mosquitto on deploy/mosquitto.conf.tmpl; `overrides` replace a setting's value (bench only). */
export async function startMosquitto(overrides: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = tmpDir('mosq');
  // Mosquitto started as root drops to the "mosquitto" user: let it write its persistence file.
  chmodSync(dir, 0o777);
  const port = await freePort();
  let tmpl = readFileSync(path.join(import.meta.dirname, '../../deploy/mosquitto.conf.tmpl'), 'utf8');
  for (const [k, v] of Object.entries(overrides)) tmpl = tmpl.replace(new RegExp(`^${k} .*$`, 'm'), `${k} ${v}`);
  writeFileSync(path.join(dir, 'mosquitto.conf'), tmpl.replaceAll('@PORT@', String(port)).replaceAll('@DIR@', `${dir}/`));
  const bin = MOSQUITTO.find((b) => { try { readFileSync(b); return true; } catch { return false; } }) ?? 'mosquitto';
  const p = spawn(bin, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitPort(port, 10_000);
  return { url: `mqtt://127.0.0.1:${port}`, stop: () => stopChild(p) };
}

export function stopChild(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}

/** deploy/influxdb.conf.tmpl filled in: the one influxd config tests/run.sh, tests and benches use. */
export function influxdConfig(dir: string, httpPort: number, rpcPort: number): string {
  const tmpl = readFileSync(new URL('../../deploy/influxdb.conf.tmpl', import.meta.url), 'utf8');
  return tmpl.replaceAll('@HTTP_PORT@', String(httpPort)).replaceAll('@RPC_PORT@', String(rpcPort)).replaceAll('@DIR@', dir);
}

/** An influxd of the test's own (so the test can stop and restart it), data kept across restarts. */
export async function ownInfluxd(bin: string): Promise<{ url: string; start(): Promise<void>; stop(): Promise<void> }> {
  const dir = tmpDir('influx');
  const port = await freePort();
  const rpc = await freePort();
  mkdirSync(path.join(dir, 'meta'));
  writeFileSync(path.join(dir, 'influxdb.conf'), influxdConfig(dir, port, rpc));
  let p: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      p = spawn(bin, ['-config', path.join(dir, 'influxdb.conf')], { stdio: 'ignore' });
      await until(async () => (await fetch(`${url}/ping`).catch(() => null))?.status === 204, 20_000, 'influxd /ping', 100);
    },
    async stop() {
      if (p) await stopChild(p);
      p = null;
    },
  };
}
