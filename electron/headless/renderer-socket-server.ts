// Serves the renderer bundle and carries FoxtrotApi over a WebSocket, for browsers
// on this machine (or, with --host, another one). Who may ask is decided by
// RequestGuard (known Host, the run's token or its cookie, same origin for the
// socket); this class carries the decisions out and never lets one request's
// failure escape: a malformed request gets a 400, a failed read a 404/500.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { extname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RendererClient, RendererConnectionHandlers } from '../engine/renderer-link/renderer-link';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { bundleFile } from '../engine/host/bundle-path';
import { acceptedHostNames, reachableHosts, type Interfaces } from './listen-addresses';
import { RequestGuard, type GuardDecision } from './request-guard';
import { CSP_HEADER } from '../../shared/content-security-policy';
import { systemScheduler } from '../../shared/lifecycle/timers';

export interface RendererSocketOptions {
  /** More Host names to answer to (--allow-host). */
  allowHosts?: readonly string[];
  /** The machine's interfaces (tests pass their own). */
  interfaces?: () => Interfaces;
  /** Told about a request that failed inside the server (answered with a 500). */
  onError?: (error: unknown) => void;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

/** Navigates to `location` by itself (a meta refresh: the CSP allows no inline script). */
function continuePage(location: string): string {
  const href = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Foxtrot Terminal</title><a href="${href}">Continue to Foxtrot Terminal</a>\n`;
}

/** Largest message a renderer may send; anything bigger is refused by ws. */
const MAX_RENDERER_MESSAGE = 64 * 1024;

export class RendererSocketServer {
  readonly token = randomBytes(18).toString('base64url');
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<string, WebSocket>();
  private nextId = 1;
  private guard: RequestGuard | undefined;

  constructor(
    private readonly rendererDir: string,
    private readonly handlers: RendererConnectionHandlers,
    private readonly options: RendererSocketOptions = {},
  ) {
    this.http = createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => this.failed(res, e));
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RENDERER_MESSAGE });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Listens; `urls` are the addresses to open (loopback first), each with the token. */
  async listen(host: string, port: number): Promise<{ host: string; port: number; url: string; urls: string[] }> {
    await new Promise<void>((res, rej) => {
      this.http.once('error', rej);
      this.http.listen(port, host, () => {
        this.http.off('error', rej);
        res();
      });
    });
    const addr = this.http.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no TCP address');
    const interfaces = (this.options.interfaces ?? networkInterfaces)();
    this.guard = new RequestGuard({ token: this.token, port: addr.port, hostNames: acceptedHostNames(host, interfaces, this.options.allowHosts) });
    const urls = reachableHosts(host, interfaces).map((h) => `http://${h}:${addr.port}/?token=${this.token}`);
    return { host, port: addr.port, url: urls[0]!, urls };
  }

  get clientCount(): number {
    return this.sockets.size;
  }

  /** Bytes queued on every renderer socket, not yet handed to the OS (the benchmark's backlog figure). */
  get bufferedBytes(): number {
    let n = 0;
    for (const ws of this.sockets.values()) n += ws.bufferedAmount;
    return n;
  }

  /** Closes every renderer socket (code 1001 "going away") and the server. */
  async close(): Promise<void> {
    for (const ws of this.sockets.values()) ws.close(1001, 'host shutting down');
    await new Promise<void>((r) => this.wss.close(() => r()));
    // Give close frames a moment to flush, then cut whatever is left.
    await new Promise<void>((r) => systemScheduler.setTimeout(r, 20));
    for (const ws of this.sockets.values()) ws.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A peer that resets mid-handshake must not become an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    let decision: GuardDecision;
    try {
      decision = this.decide(req, true);
    } catch (e) {
      this.options.onError?.(e);
      decision = { kind: 'refuse', status: 400, reason: 'malformed request' };
    }
    if (decision.kind !== 'upgrade') {
      const status = decision.kind === 'refuse' ? decision.status : 400;
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
  }

  private decide(req: IncomingMessage, upgrade: boolean): GuardDecision {
    // Not listening yet: nobody has the token, nothing to serve.
    if (!this.guard) return { kind: 'refuse', status: 403, reason: 'not ready' };
    return upgrade ? this.guard.checkUpgrade(req) : this.guard.checkRequest(req);
  }

  private onSocket(ws: WebSocket): void {
    const id = `ws-${this.nextId++}`;
    this.sockets.set(id, ws);
    const client: RendererClient = {
      id,
      send: (message: ToRenderer) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.handlers.receive(id, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        parsed = undefined; // reported as invalid by the receiver's schema check
      }
      this.handlers.receive(id, parsed);
    });
    ws.on('close', () => {
      this.sockets.delete(id);
      this.handlers.detach(id);
    });
    ws.on('error', () => ws.terminate());
    this.handlers.attach(client);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CSP_HEADER);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const decision = this.decide(req, false);
    switch (decision.kind) {
      case 'refuse':
        res.writeHead(decision.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${decision.reason}\n`);
        return;
      case 'redirect':
        if (decision.via === 'http') res.writeHead(302, { Location: decision.location, 'Set-Cookie': decision.setCookie }).end();
        else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': decision.setCookie }).end(continuePage(decision.location));
        return;
      case 'serve':
        return this.serveFile(req, res, decision.path);
      case 'upgrade':
        res.writeHead(400).end();
    }
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = bundleFile(this.rendererDir, pathname);
    if (file === undefined) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Whatever escaped a request's handling: answered, reported, never a crash. */
  private failed(res: ServerResponse, error: unknown): void {
    try {
      this.options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
    } catch {
      res.destroy();
    }
  }
}
