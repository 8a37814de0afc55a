/** `airdesk start` configuration: defaults, and a one-line reason for every bad value. */
import { describe, it, expect } from 'vitest';
import { readStartConfig, StartConfigError } from '../../server/stack-config.ts';

describe('airdesk start config', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = readStartConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: './.airdesk', mqttPort: 0, simulate: true, scenario: 'normal', speed: 1, clientDir: 'dist/client' });
    expect(c.mqttUrl).toBeUndefined();
    expect(c.influxUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('takes a real broker and InfluxDB when given', () => {
    const c = readStartConfig({ MQTT_URL: 'mqtt://10.0.0.5:1883', INFLUX_URL: 'http://db:8086/aq', AIRDESK_SIMULATE: '0', AIRDESK_SCENARIO: 'pm', AIRDESK_SIM_SPEED: '600', PORT: '0' });
    expect(c).toMatchObject({ mqttUrl: 'mqtt://10.0.0.5:1883', influxUrl: 'http://db:8086/aq', simulate: false, scenario: 'pm', speed: 600, port: 0 });
  });
  it.each([
    ['PORT', '80a', /PORT=80a: expected an integer 0..65535/],
    ['PORT', '70000', /PORT=70000/],
    ['PORT', '-1', /PORT=-1/],
    ['AIRDESK_MQTT_PORT', '1.5', /AIRDESK_MQTT_PORT=1.5/],
    ['AIRDESK_SCENARIO', 'tornado', /AIRDESK_SCENARIO=tornado: expected one of normal, o3, pm, dust/],
    ['AIRDESK_SIM_SPEED', '0', /AIRDESK_SIM_SPEED=0/],
    ['AIRDESK_SIM_SPEED', 'fast', /AIRDESK_SIM_SPEED=fast/],
    ['AIRDESK_SIM_SPEED', 'NaN', /AIRDESK_SIM_SPEED=NaN/],
    ['AIRDESK_SIMULATE', 'yes', /AIRDESK_SIMULATE=yes: expected 0 or 1/],
    ['MQTT_URL', 'not a url', /MQTT_URL=not a url: not a URL/],
    ['INFLUX_URL', '::::', /INFLUX_URL=::::: not a URL/],
  ])('%s=%s is refused with its reason', (key, value, message) => {
    expect(() => readStartConfig({ [key]: value })).toThrow(StartConfigError);
    expect(() => readStartConfig({ [key]: value })).toThrow(message);
  });
});
