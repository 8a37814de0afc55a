import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactUrl } from '#common/redact.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { parseInfluxUrl } from '../../stores/open.ts';
import { InfluxStore } from '../../stores/influx.ts';

describe('redactUrl', () => {
  it.each([
    ['mqtt://gw:s3cret@broker:1883', 'mqtt://gw:***@broker:1883'],
    ['mqtts://gw:p%40ss@broker', 'mqtts://gw:***@broker'],
    ['http://admin:pw@127.0.0.1:8086/airdesk', 'http://admin:***@127.0.0.1:8086/airdesk'],
    ['http://user@host/x', 'http://user@host/x'],
    ['http://host:8086/write?db=a&u=admin&p=pw', 'http://host:8086/write?db=a&u=admin&p=***'],
    ['ws://h/?token=abc#x', 'ws://h/?token=***#x'],
    ['two: mqtt://a:b@h1 and http://c:d@h2/', 'two: mqtt://a:***@h1 and http://c:***@h2/'],
    ['mqtt://broker:1883', 'mqtt://broker:1883'],
    ['not a url', 'not a url'],
  ])('%s -> %s', (url, want) => {
    expect(redactUrl(url)).toBe(want);
  });

  it('no password survives, for any password', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9!$%&'()*+,;=._~-]{4,20}$/), (pw) => {
      expect(redactUrl(`mqtt://gw:${pw}@broker:1883/x`)).not.toContain(pw);
      expect(redactUrl(`http://h/w?u=x&p=${encodeURIComponent(pw)}`)).not.toContain(encodeURIComponent(pw));
    }));
  });

  it('config and store errors about a URL never carry its password', () => {
    expect(() => loadGatewayConfig({ MQTT_URL: 'broker://gw:hunter22@h' })).toThrow(/gw:\*\*\*@h/);
    try {
      loadGatewayConfig({ MQTT_URL: 'broker://gw:hunter22@h' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter22');
    }
    for (const f of [() => parseInfluxUrl('ftp://a:hunter22@h/db'), () => new InfluxStore({ url: 'http//a:hunter22@', database: 'x' })]) {
      let msg = '';
      try {
        f();
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).not.toBe('');
      expect(msg).not.toContain('hunter22');
    }
  });
});
