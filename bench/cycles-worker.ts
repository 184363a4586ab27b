// Memory across subscribe/unsubscribe cycles, measured on the streaming process's
// own code: the StreamingService (what out/streaming/streaming.cjs runs) driven
// through an in-memory channel in a process started with --expose-gc, so the heap
// can be collected before every sample. (The forked streaming process cannot be
// told to collect garbage, and its RSS without a collection is mostly noise.)
// Usage: node --expose-gc out/bench/cycles-worker.cjs REST_URL WS_URL CYCLES SYMBOLS_JSON
import { StreamingService } from '../electron/streaming/streaming-service';
import { memoryChannel } from '../electron/streaming/memory-port';
import { parseFromStreaming } from '../shared/contract/streaming-protocol';
import { StreamingTuningSchema } from '../shared/settings';
import { until } from '../test/support/until';

const [rest, ws, cyclesArg, symbolsJson] = process.argv.slice(2) as [string, string, string, string];
const cycles = Number(cyclesArg);
const symbols = JSON.parse(symbolsJson) as string[];
const control = rest.replace(/\/api\/v3$/, '/__sim');
const gc = (globalThis as { gc?: () => void }).gc;


async function simConnections(): Promise<number> {
  const v = (await (await fetch(`${control}/view`)).json()) as { connections: unknown[] | number };
  return Array.isArray(v.connections) ? v.connections.length : v.connections;
}

async function main(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  const { child, parent } = memoryChannel();
  const seen = new Set<string>();
  let tasks: Record<string, number> = {};
  parent.onMessage((m) => {
    const p = parseFromStreaming(m);
    if (!p.ok) return;
    if (p.value.type === 'ticks') for (const k of p.value.keys) seen.add(k);
    if (p.value.type === 'heartbeat') tasks = p.value.vitals.tasks;
  });
  const service = new StreamingService({ port: child, exit: () => undefined });
  service.start();
  parent.send({
    type: 'configure',
    exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: false, enabled: true, urls: { rest, ws } }],
    streaming: StreamingTuningSchema.parse({ backoff: { baseMs: 10, capMs: 100 } }),
    parentPid: process.pid,
    heartbeatMs: 200,
  });
  const subs = symbols.map((symbol) => ({ exchange: 'sim', symbol, channel: 'ticker' as const }));
  const one = async (): Promise<void> => {
    seen.clear();
    parent.send({ type: 'subscribe', subs });
    await until(() => seen.size >= symbols.length, 'data on every symbol', 20_000);
    parent.send({ type: 'unsubscribe', subs });
    await until(async () => (await simConnections()) === 0, 'every socket closed at the simulator', 20_000);
  };
  const sample = async (): Promise<{ heap: number; rss: number }> => {
    await new Promise((r) => setTimeout(r, 50));
    gc!();
    gc!();
    const m = process.memoryUsage();
    return { heap: m.heapUsed, rss: m.rss };
  };
  const warm = Math.min(5, cycles);
  for (let i = 0; i < warm; i++) await one();
  const series = [{ cycle: 0, ...(await sample()) }];
  for (let i = 1; i <= cycles; i++) {
    await one();
    if (i % Math.max(1, Math.floor(cycles / 10)) === 0 || i === cycles) series.push({ cycle: i, ...(await sample()) });
  }
  await new Promise((r) => setTimeout(r, 400)); // a fresh heartbeat with the task counts
  const report = await service.shutdown(2000);
  process.stdout.write(JSON.stringify({ cycles, warmupCycles: warm, series, tasksAfter: tasks, shutdownClean: report.clean }) + '\n');
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
