/**
 * The one way a URL (or any text that may hold one) is made fit for a log line or an error
 * message: the password of every `scheme://user:password@` becomes `***`, and so do the values of
 * query parameters that carry secrets (`p`, `password`, `pass`, `token`, `secret`, `key`,
 * InfluxDB 1.x's `u`/`p` credentials). Text based, so it also works on a malformed URL (the
 * usual case in a config error). Why: the MQTT password appeared in the server's "listening" line.
 *
 *   redactUrl('mqtt://gw:s3cret@broker:1883') -> 'mqtt://gw:***@broker:1883'
 */
// `user:password@` wherever it stands (also in `http//a:b@`, which is not a URL but is what a
// typo in a config value looks like).
const USERINFO = /([^\s/?#@:]*):[^\s/?#@]*@/g;
const SECRET_PARAM = /([?&](?:p|password|pass|passwd|token|secret|key|api_key|apikey|access_token)=)[^&#\s]*/gi;

export function redactUrl(text: string): string {
  return text
    .replace(USERINFO, '$1:***@')
    .replace(SECRET_PARAM, '$1***');
}
