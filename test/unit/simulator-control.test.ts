// Access rules of the simulator's control endpoint and the CLI's command line.
import { describe, expect, it } from 'vitest';
import { checkControlRequest, newControlToken } from '../../simulator/control-access';
import { parseCli } from '../../simulator/cli-args';

const TOKEN = 'tok-123';
const json = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

describe('control endpoint access', () => {
  it('accepts a JSON POST with the token, from curl or the engine (no Origin)', () => {
    expect(checkControlRequest('POST', json, TOKEN)).toEqual({ ok: true });
    expect(checkControlRequest('POST', { ...json, 'content-type': 'Application/JSON; charset=utf-8' }, TOKEN)).toEqual({ ok: true });
    expect(checkControlRequest('POST', { ...json, authorization: `bearer  ${TOKEN}` }, TOKEN)).toEqual({ ok: true });
  });

  it('refuses any Origin header, even on GET and even with the right token', () => {
    expect(checkControlRequest('POST', { ...json, origin: 'https://evil.example' }, TOKEN)).toMatchObject({ ok: false, status: 403 });
    expect(checkControlRequest('POST', { ...json, origin: 'http://127.0.0.1:5173' }, TOKEN)).toMatchObject({ ok: false, status: 403 });
    expect(checkControlRequest('GET', { origin: 'null' }, TOKEN)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses the preflight-free content types a web page can POST', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers = { authorization: `Bearer ${TOKEN}`, ...(type ? { 'content-type': type } : {}) };
      expect(checkControlRequest('POST', headers, TOKEN), String(type)).toMatchObject({ ok: false, status: 415 });
    }
  });

  it('refuses a POST without the token or with another one', () => {
    expect(checkControlRequest('POST', { 'content-type': 'application/json' }, TOKEN)).toMatchObject({ ok: false, status: 401, error: /missing control token/ });
    expect(checkControlRequest('POST', { ...json, authorization: 'Bearer tok-124' }, TOKEN)).toMatchObject({ ok: false, status: 401, error: 'wrong control token' });
    expect(checkControlRequest('POST', { ...json, authorization: 'Bearer tok-1234' }, TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(checkControlRequest('POST', { ...json, authorization: TOKEN }, TOKEN)).toMatchObject({ ok: false, status: 401 });
  });

  it('lets a read-only GET through without the token', () => {
    expect(checkControlRequest('GET', {}, TOKEN)).toEqual({ ok: true });
  });

  it('makes a new random token per run', () => {
    const a = newControlToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newControlToken()).not.toBe(a);
  });
});

describe('simulator command line', () => {
  it('reads every option, with defaults left to the simulator', () => {
    expect(parseCli([])).toEqual({ help: false, options: {} });
    expect(parseCli(['--port', '9000', '--host=0.0.0.0', '--seed', '7', '--symbols', '3', '--rate', '0.5', '--ping-ms', '0', '--history-minutes', '240'])).toEqual({
      help: false,
      options: { port: 9000, host: '0.0.0.0', seed: 7, symbols: 3, ratePerSymbol: 0.5, pingIntervalMs: 0, historyMinutes: 240 },
    });
    expect(parseCli(['--help'])).toEqual({ help: true });
    expect(parseCli(['-h'])).toEqual({ help: true });
  });

  it('refuses unknown options, stray arguments, missing and malformed values', () => {
    expect(() => parseCli(['--verbose'])).toThrow(/--verbose/);
    expect(() => parseCli(['9000'])).toThrow(/9000/);
    expect(() => parseCli(['--port'])).toThrow(/--port/);
    expect(() => parseCli(['--port=-1'])).toThrow(/--port needs a non-negative integer, got "-1"/);
    expect(() => parseCli(['--seed', '1.5'])).toThrow(/--seed needs a non-negative integer/);
    expect(() => parseCli(['--symbols', ''])).toThrow(/--symbols/);
    expect(() => parseCli(['--rate', 'fast'])).toThrow(/--rate needs a number >= 0, got "fast"/);
    expect(() => parseCli(['--history-minutes=-5'])).toThrow(/--history-minutes needs a non-negative integer/);
  });
});
