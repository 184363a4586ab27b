import { describe, expect, it } from 'vitest';
import { parseHostArgs, HostArgsError } from '../../electron/engine/host-args';

describe('host command line', () => {
  it('has loopback and a free port by default, and reads every option in both spellings', () => {
    expect(parseHostArgs([])).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseHostArgs(['--host', '0.0.0.0', '--port=8080', '--config', 'a.json', '--data-dir=/tmp/x'])).toEqual({
      host: '0.0.0.0',
      port: 8080,
      configFile: 'a.json',
      dataDir: '/tmp/x',
    });
  });

  it('refuses malformed input with a message that names the option', () => {
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port "70000" is not a port number/);
    expect(() => parseHostArgs(['--port', 'abc'])).toThrow(HostArgsError);
    expect(() => parseHostArgs(['--port'])).toThrow(/--port needs a value/);
    expect(() => parseHostArgs(['--config', '--port', '1'])).toThrow(/--config needs a value/);
    expect(() => parseHostArgs(['--host', 'a b'])).toThrow(/--host/);
    expect(() => parseHostArgs(['--verbose'])).toThrow(/unknown option "--verbose"/);
  });

  it('lets the Electron shell skip switches Chromium adds', () => {
    expect(parseHostArgs(['--no-sandbox', '--data-dir', 'd'], { allowUnknown: true })).toEqual({ host: '127.0.0.1', port: 0, dataDir: 'd' });
  });
});
