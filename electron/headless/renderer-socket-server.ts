// Serves the renderer bundle and carries FoxtrotApi over a WebSocket, for browsers
// on this machine (or, with --host, another one). Access needs the per-run token
// that is part of the printed URL; the WebSocket also checks the Origin header so a
// page from another site cannot drive the terminal through the user's browser.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RendererClient } from '../engine/renderer-link/renderer-link';
import type { ToRenderer } from '../../shared/contract/renderer-api';

export interface RendererSocketHandlers {
  attach(client: RendererClient): void;
  detach(clientId: string): void;
  receive(clientId: string, message: unknown): void;
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

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Largest message a renderer may send; anything bigger is refused by ws. */
const MAX_RENDERER_MESSAGE = 64 * 1024;

export class RendererSocketServer {
  readonly token = randomBytes(18).toString('base64url');
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<string, WebSocket>();
  private nextId = 1;
  private address: { host: string; port: number } | undefined;

  constructor(
    private readonly rendererDir: string,
    private readonly handlers: RendererSocketHandlers,
  ) {
    this.http = createServer((req, res) => void this.serveStatic(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RENDERER_MESSAGE });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.authorized(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async listen(host: string, port: number): Promise<{ host: string; port: number; url: string }> {
    await new Promise<void>((res, rej) => {
      this.http.once('error', rej);
      this.http.listen(port, host, () => {
        this.http.off('error', rej);
        res();
      });
    });
    const addr = this.http.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no TCP address');
    this.address = { host, port: addr.port };
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return { host, port: addr.port, url: `http://${shownHost}:${addr.port}/?token=${this.token}` };
  }

  get clientCount(): number {
    return this.sockets.size;
  }

  /** Closes every renderer socket (code 1001 "going away") and the server. */
  async close(): Promise<void> {
    for (const ws of this.sockets.values()) ws.close(1001, 'host shutting down');
    await new Promise<void>((r) => this.wss.close(() => r()));
    // Give close frames a moment to flush, then cut whatever is left.
    await new Promise((r) => setTimeout(r, 20));
    for (const ws of this.sockets.values()) ws.terminate();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  private authorized(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api') return false;
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const want = Buffer.from(this.token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) return false;
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSocket upgrades; it must be this server.
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return false;
    return true;
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

  private async serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
    const root = resolve(this.rendererDir);
    const file = resolve(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  }
}
