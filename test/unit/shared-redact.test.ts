import { describe, expect, it } from 'vitest';
import { redactSettings, redactUrlCredentials } from '../../shared/redact';
import { defaultSettings, parseSettings } from '../../shared/settings';

describe('redactUrlCredentials', () => {
  it('hides userinfo', () => {
    expect(redactUrlCredentials('wss://user:secret@host.example/ws')).toBe('wss://***:***@host.example/ws');
    expect(redactUrlCredentials('https://TOKEN123@host.example:8443/api')).toBe('https://***@host.example:8443/api');
    expect(redactUrlCredentials('wss://a:b@c@host/x?y=1')).toBe('wss://***:***@host/x?y=1'); // the last @ ends the userinfo
  });

  it('hides the values of credential-like query and fragment parameters, and only those', () => {
    expect(redactUrlCredentials('https://h/api?apiKey=AK1&limit=5&signature=S1&recvWindow=5000')).toBe('https://h/api?apiKey=***&limit=5&signature=***&recvWindow=5000');
    expect(redactUrlCredentials('wss://h/ws?api_key=a&access_token=b&password=c&passphrase=d&secret=e&X-MBX-APIKEY=f')).toBe(
      'wss://h/ws?api_key=***&access_token=***&password=***&passphrase=***&secret=***&X-MBX-APIKEY=***',
    );
    expect(redactUrlCredentials('wss://h/ws#access_token=abc')).toBe('wss://h/ws#access_token=***');
    expect(redactUrlCredentials('https://h/api?api%5Fkey=abc')).toBe('https://h/api?api%5Fkey=***');
  });

  it('leaves a URL without credentials exactly as written', () => {
    for (const url of ['https://testnet.binance.vision/api/v3', 'wss://stream.testnet.binance.vision/stream/ws?streams=btcusdt@ticker', 'ws://127.0.0.1:9000/ws?token=']) {
      expect(redactUrlCredentials(url)).toBe(url);
    }
  });
});

describe('redactSettings', () => {
  it('returns the same object when there is nothing to hide', () => {
    const s = defaultSettings();
    expect(redactSettings(s)).toBe(s);
  });

  it('redacts exchange URLs in a copy that is still valid settings', () => {
    const parsed = parseSettings({ exchanges: [{ id: 'p', ccxtId: 'binance', urls: { rest: 'https://h/api?apiKey=AK', ws: 'wss://u:p@h/ws' } }], watchlist: [] });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const redacted = redactSettings(parsed.settings);
    expect(redacted.exchanges[0]!.urls).toEqual({ rest: 'https://h/api?apiKey=***', ws: 'wss://***:***@h/ws' });
    expect(parsed.settings.exchanges[0]!.urls).toEqual({ rest: 'https://h/api?apiKey=AK', ws: 'wss://u:p@h/ws' }); // untouched
    expect(parseSettings(redacted).ok).toBe(true); // renderers validate it
  });

  it('redacts a Futu OpenD key, and leaves an empty one alone', () => {
    const parsed = parseSettings({ exchanges: [{ id: 'f', kind: 'futu', futu: { key: 'secret-key' } }, { id: 'g', kind: 'futu', futu: {} }], watchlist: [] });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const redacted = redactSettings(parsed.settings);
    expect(redacted.exchanges.map((e) => e.futu?.key)).toEqual(['***', '']);
    expect(redacted.exchanges[1]).toBe(parsed.settings.exchanges[1]);
    expect(parsed.settings.exchanges[0]!.futu?.key).toBe('secret-key');
    expect(parseSettings(redacted).ok).toBe(true);
  });
});
