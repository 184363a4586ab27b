import { describe, expect, it } from 'vitest';
import { parseHostArgs, HostArgsError, HOST_USAGE } from '../../electron/engine/host-args';

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

  it('refuses positionals, empty values and host names that are not names', () => {
    expect(() => parseHostArgs(['serve'])).toThrow(/unexpected argument "serve"/);
    expect(() => parseHostArgs(['--port='])).toThrow(/--port "" is not a port number/);
    expect(() => parseHostArgs(['--data-dir='])).toThrow(/--data-dir needs a value/);
    expect(() => parseHostArgs(['--allow-host', 'evil.example/x'])).toThrow(/--allow-host "evil.example\/x" is not a host name/);
    expect(() => parseHostArgs(['--allow-host'])).toThrow(/--allow-host needs a value/);
  });

  it('collects repeated --allow-host names', () => {
    expect(parseHostArgs(['--host', '0.0.0.0', '--allow-host', 'box.lan', '--allow-host=terminal.example.com']).allowHosts).toEqual([
      'box.lan',
      'terminal.example.com',
    ]);
  });

  it('asks for the usage or the version instead of running (printed by the host, exit 0)', () => {
    expect(parseHostArgs(['--help']).show).toBe('help');
    expect(parseHostArgs(['-h']).show).toBe('help');
    expect(parseHostArgs(['--version']).show).toBe('version');
    expect(parseHostArgs([]).show).toBeUndefined();
    expect(HOST_USAGE).toMatch(/--allow-host NAME/);
  });

  it('in Electron, takes its own options with their values from anywhere and still checks them', () => {
    expect(parseHostArgs(['out/electron/main.cjs', '--inspect=9229', '--config', 'c.json', '--remote-debugging-port', '0'], { allowUnknown: true })).toEqual({
      host: '127.0.0.1',
      port: 0,
      configFile: 'c.json',
    });
    expect(() => parseHostArgs(['--no-sandbox', '--port', 'x'], { allowUnknown: true })).toThrow(/--port "x"/);
    expect(() => parseHostArgs(['--data-dir'], { allowUnknown: true })).toThrow(/--data-dir needs a value/);
  });
});
