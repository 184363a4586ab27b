import { describe, expect, it } from 'vitest';
import { escapeAndCap, fieldsJson, formatRecord, formatScope, isSecretName, MAX_RECORD_CHARS, redactSecrets } from '../../electron/engine/log/record-sanitizer';

describe('record sanitizer', () => {
  it('keeps a forged line inside the record: newlines and other control characters are escaped', () => {
    const forged = 'ok\n[2026-01-01 00:00:00.000] [error] forged\r\x1b[31mred\u2028sep\u0085next';
    const line = formatRecord(forged);
    expect(line).toBe('ok\\n[2026-01-01 00:00:00.000] [error] forged\\r\\u001b[31mred\\u2028sep\\u0085next');
    for (const c of ['\n', '\r', '\u2028', '\u0085', '\x1b']) expect(line).not.toContain(c);
  });

  it('leaves ordinary text (tabs aside) and non-BMP characters as they are', () => {
    expect(formatRecord('streaming process ready 🚀 ü')).toBe('streaming process ready 🚀 ü');
    expect(formatRecord('a\tb')).toBe('a\\tb');
  });

  it('cuts a 5 MB record to the cap, saying how much was cut', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const line = formatRecord(big);
    expect(line.startsWith('x'.repeat(MAX_RECORD_CHARS))).toBe(true);
    expect(line).toBe(`${'x'.repeat(MAX_RECORD_CHARS)}… [${big.length - MAX_RECORD_CHARS} more chars cut]`);
  });

  it('counts the cut in input characters when escapes made the line longer', () => {
    expect(escapeAndCap('\n\n\n\n\n', 5)).toBe('\\n\\n… [3 more chars cut]');
  });

  it('caps huge fields too, and keeps the line one line', () => {
    const line = formatRecord('failed', { error: 'e\n'.repeat(1_000_000) });
    expect(line.length).toBeLessThan(MAX_RECORD_CHARS + 40);
    expect(line).toMatch(/^failed \{"error":"e\\ne\\n/);
    // Everything not shown is counted: the 2 MB of fields, not just the part that was escaped.
    const cut = Number(/… \[(\d+) more chars cut\]$/.exec(line)![1]);
    expect(cut).toBeGreaterThan(2_000_000 - MAX_RECORD_CHARS);
    expect(line).not.toContain('\n');
  });

  it('never splits a surrogate pair at the cut', () => {
    expect(escapeAndCap('ab🚀cd', 3)).toBe('ab… [4 more chars cut]');
  });

  it('redacts credentials in URLs: userinfo and secret-named query values', () => {
    expect(redactSecrets('connecting to wss://alice:s3cret@stream.example.com:9443/ws?symbol=BTC')).toBe('connecting to wss://***@stream.example.com:9443/ws?symbol=BTC');
    expect(redactSecrets('https://api.example.com/v3/order?timestamp=1&signature=abc123&apiKey=K&recvWindow=5000')).toBe(
      'https://api.example.com/v3/order?timestamp=1&signature=***&apiKey=***&recvWindow=5000',
    );
    expect(redactSecrets('GET /stream?listenKey=LK;access_token=T&password=p&passphrase=q&secret=s')).toBe('GET /stream?listenKey=***;access_token=***&password=***&passphrase=***&secret=***');
    expect(redactSecrets('plain text = fine, no url')).toBe('plain text = fine, no url');
  });

  it('redacts through a record: message and fields (URLs inside, secret-named string fields)', () => {
    const line = formatRecord('rest fallback to https://u:p@rest.example.com/api?token=abc', {
      exchange: 'custom',
      url: 'wss://bob:hunter2@ws.example.com/?key=K1&symbol=ETH',
      apiSecret: 'SECRET',
      nested: { password: 'P', tokenCount: 3 },
    });
    expect(line).toBe(
      'rest fallback to https://***@rest.example.com/api?token=*** {"exchange":"custom","url":"wss://***@ws.example.com/?key=***&symbol=ETH","apiSecret":"***","nested":{"password":"***","tokenCount":3}}',
    );
    for (const secret of ['u:p', 'abc', 'hunter2', 'K1', 'SECRET', '"P"']) expect(line).not.toContain(secret);
  });

  it('takes whole words of a name for secrets: signal, author and monkey are not sig, auth and key', () => {
    for (const name of ['apiKey', 'x-api-key', 'access_token', 'secret', 'password', 'passphrase', 'signature', 'sig', 'Authorization', 'credentials'])
      expect(isSecretName(name), name).toBe(true);
    for (const name of ['signal', 'author', 'monkey', 'keepAliveMs', 'sessionCount', 'tokenizer'])
      expect(isSecretName(name), name).toBe(false);
    expect(formatRecord('streaming process exited', { code: null, signal: 'SIGTERM' })).toBe('streaming process exited {"code":null,"signal":"SIGTERM"}');
  });

  it('serialises unserialisable fields without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(fieldsJson(cyclic)).toBe('[unserializable fields]');
  });

  it('keeps scopes short and on one line', () => {
    expect(formatScope('renderer:c1')).toBe('renderer:c1');
    expect(formatScope(`x\n${'y'.repeat(200)}`)).toMatch(/^x\\ny+… \[\d+ more chars cut\]$/);
  });
});
