/**
 * What a station's broker account may publish (issue 15): its own topics under the layout of
 * common/schemas/topics.ts and nothing else, so station A cannot publish as station B. One rule,
 * read by the embedded broker (system/broker.ts) and written out as Mosquitto ACL lines
 * (`airdesk stations credentials export`), so both brokers refuse the same things.
 * The account's user name is the station code; for HJ 212 the code must be the packet's MN
 * (hj212/{ST}/{MN}/{CN}) as the gateway reads it without AIRDESK_HJ212_MN_MAP.
 */

/** Topic patterns (MQTT filters) a station may publish on; `code` has no `/ + #` (CREDENTIAL_CODE). */
export const stationTopics = (code: string): string[] => [
  `aq/v1/stations/${code}/readings`,
  `aq/v1/stations/${code}/status`,
  `aq/v1/flat/${code}`,
  `aq/v1/voc/${code}/cycles`,
  `hj212/+/${code}/+`,
];

/** Whether `topic` (a concrete topic, no wildcards) matches one of `code`'s patterns. */
export function stationMayPublish(code: string, topic: string): boolean {
  const t = topic.split('/');
  return stationTopics(code).some((p) => {
    const f = p.split('/');
    return f.length === t.length && f.every((lv, i) => (lv === '+' ? t[i] !== '' && !/[+#]/.test(t[i]) : lv === t[i]));
  });
}

/** Mosquitto ACL blocks, one per station (`user <code>` then its `topic write` lines). */
export function mosquittoAcl(codes: readonly string[]): string {
  const head = '# Station accounts (airdesk stations credentials export): each may publish only on its own topics.\n';
  return head + codes.map((c) => `\nuser ${c}\n${stationTopics(c).map((p) => `topic write ${p}\n`).join('')}`).join('');
}
