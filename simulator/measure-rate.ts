// Measures the simulator's maximum send rate (a tool, not a test).
//   npx esbuild simulator/measure-rate.ts --bundle --platform=node --packages=external --outfile=out/simulator/measure-rate.cjs
//   node out/simulator/measure-rate.cjs [--symbols 100] [--kinds ticker] [--conns 1] [--rate 100000] [--seconds 5]
// The simulator runs in this process; a child process (raw `ws` clients, each
// frame JSON.parse'd like a real consumer would) subscribes to every stream and
// counts. Reports the simulator's sent/s, the client's received/s and the
// simulator process's CPU share.
import { fork } from 'node:child_process';
import WebSocket from 'ws';
import { ExchangeSimulator } from './exchange-simulator';

interface Args {
  symbols: number;
  kinds: string[];
  conns: number;
  rate: number;
  seconds: number;
  parse: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { symbols: 100, kinds: ['ticker'], conns: 1, rate: 100_000, seconds: 5, parse: true };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1] ?? '';
    switch (argv[i]) {
      case '--symbols':
        a.symbols = Number(v);
        break;
      case '--kinds':
        a.kinds = v.split(',');
        break;
      case '--conns':
        a.conns = Number(v);
        break;
      case '--rate':
        a.rate = Number(v);
        break;
      case '--seconds':
        a.seconds = Number(v);
        break;
      case '--parse':
        a.parse = v !== 'false';
        break;
    }
  }
  return a;
}

/** Child: connects, subscribes, counts frames, reports the count on request. */
function client(url: string, streams: string[], conns: number, parse: boolean): void {
  let received = 0;
  let open = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < conns; i++) {
    const mine = streams.filter((_, k) => k % conns === i);
    const ws = new WebSocket(`${url}/${i}`);
    sockets.push(ws);
    ws.on('open', () => {
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: mine, id: 1 }));
      if (++open === conns) process.send?.({ type: 'ready' });
    });
    ws.on('message', (data: Buffer) => {
      received++;
      if (parse) JSON.parse(data.toString());
    });
  }
  process.on('message', (m: { type: string }) => {
    if (m.type === 'count') process.send?.({ type: 'count', received, cpu: process.cpuUsage() });
    if (m.type === 'exit') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--client') {
    const [url, streams, conns, parse] = process.argv.slice(3) as [string, string, string, string];
    client(url, streams.split(','), Number(conns), parse === 'true');
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const sim = new ExchangeSimulator({ symbols: args.symbols, ratePerSymbol: 0, pingIntervalMs: 0, everyTrade: false });
  await sim.start();
  const streams = sim.symbols.flatMap((s) => args.kinds.map((k) => `${s.replace('/', '').toLowerCase()}@${k}`));
  const child = fork(process.argv[1]!, ['--client', sim.urls.ws, streams.join(','), String(args.conns), String(args.parse)], { stdio: 'inherit' });
  const ask = (): Promise<{ received: number; cpu: NodeJS.CpuUsage }> =>
    new Promise((resolve) => {
      const on = (m: { type: string; received: number; cpu: NodeJS.CpuUsage }): void => {
        if (m.type === 'count') {
          child.off('message', on);
          resolve(m);
        }
      };
      child.on('message', on);
      child.send({ type: 'count' });
    });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  await new Promise((r) => setTimeout(r, 300));
  sim.setRate(args.rate);
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  const s0 = sim.view().totals;
  const r0 = await ask();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, args.seconds * 1000));
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const s1 = sim.view().totals;
  const r1 = await ask();
  const sent = (s1.messagesSent - s0.messagesSent) / dt;
  const recv = (r1.received - r0.received) / dt;
  const clientCpu = (r1.cpu.user + r1.cpu.system - r0.cpu.user - r0.cpu.system) / 1e6 / dt;
  const skipped = (s1.messagesSkipped - s0.messagesSkipped) / dt;
  if (process.env.SIM_DEBUG) console.log("pacer skipped total", (sim as unknown as { pacer: { skipped: number } }).pacer.skipped);
  const cpuShare = (cpu.user + cpu.system) / 1e6 / dt;
  console.log(
    `streams=${streams.length} conns=${args.conns} kinds=${args.kinds.join(',')} target=${args.rate}/s/stream: ` +
      `sim sent ${Math.round(sent)}/s, client received ${Math.round(recv)}/s, skipped ${Math.round(skipped)}/s, sim CPU ${(cpuShare * 100).toFixed(0)}% of one core, client CPU ${(clientCpu * 100).toFixed(0)}%, ` +
      `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
  sim.setRate(0);
  child.send({ type: 'exit' });
  await new Promise((r) => child.once('exit', r));
  await sim.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
