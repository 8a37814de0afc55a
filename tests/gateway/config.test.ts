import { describe, it, expect } from 'vitest';
import { loadGatewayConfig, GATEWAY_ENV, ConfigError } from '../../gateway/config.ts';

describe('gateway config from env', () => {
  it('has a default for every variable and freezes the result', () => {
    const c = loadGatewayConfig({});
    expect(c).toMatchObject({
      mqttUrl: 'mqtt://127.0.0.1:1883', protocolVersion: 5, consumers: 1, commitIntervalMs: 5, groupMax: 2000,
      storeBatch: 5000, unknownStation: 'register', maxPayloadBytes: 262144, maxFutureMs: 600_000, source: 'live',
      hj212Encoding: 'utf8', influxUrl: undefined, spoolPath: '.airdesk/gateway-spool.sqlite', storeThread: true,
      stationRegisterMax: 10_000, stationRegisterPerMin: 2000,
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.keys(GATEWAY_ENV)).toContain('AIRDESK_SPOOL_PATH');
  });
  it.each([
    [{ AIRDESK_GATEWAY_CONSUMERS: '0' }, /AIRDESK_GATEWAY_CONSUMERS/],
    [{ AIRDESK_GATEWAY_CONSUMERS: '2', AIRDESK_MQTT_PROTOCOL: '4' }, /needs AIRDESK_MQTT_PROTOCOL=5/],
    [{ AIRDESK_UNKNOWN_STATION: 'ignore' }, /register, reject/],
    [{ MQTT_URL: 'localhost:1883' }, /MQTT_URL/],
    [{ AIRDESK_SPOOL_COMMIT_MS: 'fast' }, /AIRDESK_SPOOL_COMMIT_MS/],
    [{ AIRDESK_GATEWAY_STORE_THREAD: 'yes' }, /AIRDESK_GATEWAY_STORE_THREAD=yes: expected one of 0, 1/],
    [{ AIRDESK_GATEWAY_MQTT_TAP: 'on' }, /AIRDESK_GATEWAY_MQTT_TAP=on: expected one of 0, 1/],
    [{ AIRDESK_STORE_LINGER_MS: '-1' }, /AIRDESK_STORE_LINGER_MS/],
    [{ AIRDESK_STORE_LINGER_MS: '0.5s' }, /AIRDESK_STORE_LINGER_MS/],
    [{ AIRDESK_STORE_LINGER_MS: '600000' }, /AIRDESK_STORE_LINGER_MS/],
    [{ AIRDESK_STATION_REGISTER_MAX: '-1' }, /AIRDESK_STATION_REGISTER_MAX=-1: expected an integer/],
    [{ AIRDESK_STATION_REGISTER_MAX: 'lots' }, /AIRDESK_STATION_REGISTER_MAX/],
    [{ AIRDESK_STATION_REGISTER_PER_MIN: '0' }, /AIRDESK_STATION_REGISTER_PER_MIN=0/],
    [{ AIRDESK_STATION_REGISTER_PER_MIN: '1e9' }, /AIRDESK_STATION_REGISTER_PER_MIN/],
  ])('rejects %o', (env, msg) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(msg);
  });
  it('reads overrides', () => {
    const c = loadGatewayConfig({ AIRDESK_DATA_DIR: '/var/lib/airdesk', AIRDESK_MAX_FUTURE_S: '60', AIRDESK_UNKNOWN_STATION: 'reject', INFLUX_URL: 'http://h:8086/aq' });
    expect(c.spoolPath).toBe('/var/lib/airdesk/gateway-spool.sqlite');
    expect(c.maxFutureMs).toBe(60_000);
    expect(c.unknownStation).toBe('reject');
    expect(c.influxUrl).toBe('http://h:8086/aq');
    expect(loadGatewayConfig({ AIRDESK_GATEWAY_STORE_THREAD: '0' }).storeThread).toBe(false);
    expect(loadGatewayConfig({}).mqttTap).toBe(true);
    expect(loadGatewayConfig({ AIRDESK_GATEWAY_MQTT_TAP: '0' }).mqttTap).toBe(false);
    expect(loadGatewayConfig({}).storeLingerMs).toBe(500);
    expect(loadGatewayConfig({ AIRDESK_STORE_LINGER_MS: '0' }).storeLingerMs).toBe(0);
  });
});
