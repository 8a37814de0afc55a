/**
 * `airdesk stations import FILE` and `airdesk stations list`: the station registry
 * (stores/stations.ts, SQLite at $AIRDESK_DATA_DIR/stations.sqlite unless --db is given).
 * Bad rows are reported with their line and reason and skipped; the command sets exit code 1
 * when it skipped any, so scripts notice. Re-importing the same file changes nothing.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { CREDENTIAL_CODE, openStationCredentials } from '../../stores/station-credentials.ts';
import { mosquittoAcl } from '#common/auth/station-acl.ts';
import { parseCnemcStations } from '#common/formats/cnemc-stations.ts';
import { decodeText } from '#common/formats/decode-text.ts';
import type { StationKind } from '#common/schemas/station.ts';
import { storeConfigFromEnv } from '../../stores/open.ts';
import { openStationRegistry } from '../../stores/stations.ts';

const KINDS: readonly StationKind[] = ['national', 'municipal', 'micro', 'voc'];
const MAX_REJECTS_SHOWN = 50;

function registryPath(opt: string | undefined): string {
  return opt ?? storeConfigFromEnv(process.env).stationsPath;
}

export function register(program: Command): void {
  const cmd = program.command('stations').description('station registry: import the CNEMC station list, list stations');

  cmd
    .command('import')
    .description('import a station list CSV (CNEMC format: 监测点编码,监测点名称,城市,经度,纬度,...; UTF-8 or GBK)')
    .argument('<file>', 'CSV file')
    .option('--kind <kind>', `kind of every station in the file (${KINDS.join('|')})`, 'national')
    .option('--db <path>', 'registry file (default $AIRDESK_DATA_DIR/stations.sqlite)')
    .action((file: string, opts: { kind: string; db?: string }) => {
      if (!KINDS.includes(opts.kind as StationKind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const { text, encoding } = decodeText(bytes);
      const parsed = parseCnemcStations(text, opts.kind as StationKind);
      const reg = openStationRegistry(registryPath(opts.db));
      try {
        const r = reg.upsert(parsed.stations);
        const noCoord = parsed.stations.filter((s) => s.lon === null).length;
        console.log(
          `${file} (${encoding}): ${parsed.stations.length} stations: ${r.inserted} new, ${r.updated} updated, ` +
            `${r.unchanged} unchanged; ${noCoord} without coordinates; ${parsed.rejects.length} rows rejected`,
        );
        for (const rej of parsed.rejects.slice(0, MAX_REJECTS_SHOWN)) console.log(`  line ${rej.line}: ${rej.reason}: ${rej.detail}`);
        if (parsed.rejects.length > MAX_REJECTS_SHOWN) console.log(`  ... and ${parsed.rejects.length - MAX_REJECTS_SHOWN} more`);
        console.log(`registry ${registryPath(opts.db)}: ${reg.count()} stations`);
      } finally {
        reg.close();
      }
      if (parsed.rejects.length) process.exitCode = 1;
    });

  cmd
    .command('list')
    .description('list registered stations')
    .option('--city <city>', 'only this city (as in the list, e.g. 北京)')
    .option('--province <province>', 'only this province (e.g. 北京市)')
    .option('--kind <kind>', `only this kind (${KINDS.join('|')})`)
    .option('--json', 'JSON array instead of a table')
    .option('--db <path>', 'registry file (default $AIRDESK_DATA_DIR/stations.sqlite)')
    .action((opts: { city?: string; province?: string; kind?: string; json?: boolean; db?: string }) => {
      if (opts.kind !== undefined && !KINDS.includes(opts.kind as StationKind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
      const reg = openStationRegistry(registryPath(opts.db));
      try {
        const list = reg.list({ city: opts.city, province: opts.province, kind: opts.kind as StationKind | undefined });
        if (opts.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(4));
        for (const s of list) console.log([s.code, s.name, s.city, s.province, fmt(s.lon), fmt(s.lat), s.kind].join('\t'));
        console.log(`${list.length} stations`);
      } finally {
        reg.close();
      }
    });

  credentialsCommands(cmd);
}

/**
 * `airdesk stations credentials issue|list|revoke|export|hj212-pw`: per-station broker accounts
 * and HJ 212 passwords (stores/station-credentials.ts), in the registry file. The embedded broker
 * reads them at each connect; `export` writes what a bureau's Mosquitto reads (password file and
 * ACL blocks, common/auth/station-acl.ts); reload Mosquitto after it (SIGHUP).
 */
function credentialsCommands(cmd: Command): void {
  const cred = cmd.command('credentials').description('per-station broker accounts (issue, list, revoke, export for Mosquitto) and HJ 212 PW');
  const open = (db?: string) => openStationCredentials(registryPath(db));
  const dbOpt = ['--db <path>', 'registry file (default $AIRDESK_DATA_DIR/stations.sqlite)'] as const;

  cred.command('issue')
    .description('issue (or rotate) the broker password of each station; printed once, as code<TAB>password')
    .argument('<codes...>', 'station codes (the MQTT user names)')
    .option(...dbOpt)
    .action((codes: string[], o: { db?: string }) => {
      // All or nothing: a typo in the fifth code must not leave four passwords issued.
      const bad = codes.filter((code) => !CREDENTIAL_CODE.test(code));
      if (bad.length) throw new Error(`${bad.map((b) => JSON.stringify(b)).join(', ')}: a broker account needs a code of letters, digits, . _ - (at most 64), no / + # or spaces`);
      const c = open(o.db);
      try {
        for (const code of codes) console.log(`${code}\t${c.issue(code, Date.now())}`);
        console.error(`${codes.length} password(s) issued: give each to its station now, they are not shown again. With Mosquitto: run export and reload it.`);
      } finally {
        c.close();
      }
    });

  cred.command('list')
    .description('stations with an account: issued, revoked, HJ 212 PW set')
    .option('--json', 'JSON array')
    .option(...dbOpt)
    .action((o: { json?: boolean; db?: string }) => {
      const c = open(o.db);
      try {
        const rows = c.list();
        if (o.json) return console.log(JSON.stringify(rows, null, 2));
        const t = (v: number | null) => (v === null ? '-' : new Date(v).toISOString());
        for (const r of rows) console.log([r.station, r.issued === null ? 'no account' : r.revoked === null ? 'active' : 'revoked', t(r.issued), t(r.revoked), r.hj212Pw ? 'pw' : '-'].join('\t'));
        console.log(`${rows.filter((r) => r.issued !== null && r.revoked === null).length} active of ${rows.length}`);
      } finally {
        c.close();
      }
    });

  cred.command('revoke')
    .description('end the broker account of each station (the embedded broker refuses it at once; Mosquitto after export + reload)')
    .argument('<codes...>', 'station codes')
    .option(...dbOpt)
    .action((codes: string[], o: { db?: string }) => {
      const c = open(o.db);
      try {
        const missing = codes.filter((code) => !c.revoke(code, Date.now()));
        console.log(`${codes.length - missing.length} revoked`);
        if (missing.length) throw new Error(`no active account: ${missing.join(', ')}`);
      } finally {
        c.close();
      }
    });

  cred.command('export')
    .description('write the Mosquitto password file and ACL blocks of the active accounts')
    .requiredOption('--passwd <file>', 'password file (password_file in mosquitto.conf)')
    .requiredOption('--acl <file>', 'ACL lines for the stations (append to, or include beside, deploy/mosquitto.acl)')
    .option(...dbOpt)
    .action((o: { passwd: string; acl: string; db?: string }) => {
      const c = open(o.db);
      try {
        const codes = c.activeStations();
        writeFileSync(o.passwd, c.mosquittoPasswd(), { mode: 0o600 });
        writeFileSync(o.acl, mosquittoAcl(codes));
        console.log(`${codes.length} accounts: ${o.passwd}, ${o.acl}. Add the gateway and server accounts (mosquitto_passwd ${o.passwd} airdesk-gateway) and reload Mosquitto.`);
      } finally {
        c.close();
      }
    });

  cred.command('hj212-pw')
    .description('set the HJ 212 PW a station\'s data logger sends (read from stdin, one line), or --clear it')
    .argument('<code>', 'station code')
    .option('--clear', 'remove the PW (packets from this station are then refused while AIRDESK_HJ212_PW=required)')
    .option(...dbOpt)
    .action((code: string, o: { clear?: boolean; db?: string }) => {
      const pw = o.clear ? null : readFileSync(0, 'utf8').split(/\r?\n/)[0];
      if (pw !== null && !/^[\x21-\x7e]{1,64}$/.test(pw)) throw new Error('HJ 212 PW: 1..64 printable characters on stdin (HJ 212-2017: the logger access password, commonly 6 characters)');
      const c = open(o.db);
      try {
        c.setHj212Password(code, pw);
        console.log(pw === null ? `${code}: HJ 212 PW cleared` : `${code}: HJ 212 PW set (stored hashed); restart the gateway to use it`);
      } finally {
        c.close();
      }
    });
}
