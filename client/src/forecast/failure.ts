/** Why guidance was not issued, in the user's language. The service's reasons are sentences from
 *  common/forecast (an Error's message), not codes yet; the two a new install meets are matched
 *  here, anything else is shown as it came. */
export function failureText(m: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return m.replace(/^guidance: /, '');
  let x = /(\d+) training days; at least (\d+) are needed/.exec(m);
  if (x) return `可用于训练的历史仅 ${x[1]} 天，至少需要 ${x[2]} 天`;
  x = /fewer than (\d+) hours of (\S+) in the 24 h before the issue time (.+)$/.exec(m);
  if (x) return `发布时刻 ${x[3]} 之前24小时内 ${x[2].replace('PM2.5', 'PM₂.₅')} 数据不足 ${x[1]} 小时`;
  return m;
}
