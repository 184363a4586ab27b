import { describe, expect, it } from 'vitest';
import { SessionReport } from '../../electron/streaming/session-report';
import { ccxt } from '../../electron/streaming/exchange-loader';

function setup() {
  const trace: string[] = [];
  const log = {
    event: (e: object) => void trace.push(`event ${JSON.stringify(e)}`),
    record: (level: string, scope: string, message: string, fields?: object) => void trace.push(`${level} ${scope} ${message} ${JSON.stringify(fields)}`),
  };
  const errors = { error: (cls: string, message: string) => void trace.push(`error ${cls}: ${message}`) };
  return { trace, report: new SessionReport('binance', log, errors, () => trace.push('changed')) };
}

describe('SessionReport', () => {
  it('tags events with the exchange, and with symbol and channel for a subscription', () => {
    const { trace, report } = setup();
    report.event('CONNECTED', undefined, { url: 'wss://x' });
    report.event('STALE', { key: { exchange: 'binance', symbol: 'BTC/USDT', channel: 'ticker' } }, { message: 'quiet' });
    expect(trace).toEqual([
      'event {"kind":"CONNECTED","exchange":"binance","url":"wss://x"}',
      'event {"kind":"STALE","exchange":"binance","symbol":"BTC/USDT","channel":"ticker","message":"quiet"}',
    ]);
  });

  it('records name the exchange first, then the fields given', () => {
    const { trace, report } = setup();
    report.record('warn', 'load', 'exchange behind', { loopLagMs: 600 });
    report.record('debug', 'ccxt', 'hello');
    expect(trace).toEqual(['warn load exchange behind {"exchange":"binance","loopLagMs":600}', 'debug ccxt hello {"exchange":"binance"}']);
  });

  it('counts an error under its class and says the status changed', () => {
    const { trace, report } = setup();
    report.countError(new ccxt.RequestTimeout('slow'));
    report.countClass('malformed', 'ticker without a price');
    expect(trace).toEqual(['error timeout: slow', 'changed', 'error malformed: ticker without a price', 'changed']);
  });
});
