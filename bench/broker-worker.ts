// One broker client in its own process, for the "adapter vs its bare client" CPU rows
// (issue 13), against a stand-in that runs in the benchmark's own process:
//   adapter: Foxtrot's streaming service with one IB or Futu entry: the adapter and the
//            shared broker session (reconnect gate, stale watch, statistics, tick sink,
//            batching), its batches sent to the bench over this process's IPC channel
//            as the headless host's streaming process sends them;
//   bare:    the same library (@stoqey/ib's IBApi, futu-api) requesting the same data and
//            counting what arrives, nothing more.
// The stage runs one of each at once against the same stand-in.
// CPU from process.cpuUsage(); the stage divides it by what the stand-in sent.
import { EventName, IBApi, TickByTickDataType } from '@stoqey/ib';
import { memoryChannel } from '../electron/streaming/memory-port';
import { connectToParent, type ParentPort } from '../electron/streaming/parent-port';
import { StreamingService } from '../electron/streaming/streaming-service';
import { createFutuClient, type FutuClient } from '../electron/streaming/adapters/futu/futu-api';
import { FUTU_SUB_TYPE } from '../electron/streaming/adapters/futu/futu-connection';
import { toContract } from '../electron/streaming/adapters/ib/ib-adapter';
import { parseFutuSymbol } from '../shared/futu-notation';
import { parseIbNotation } from '../shared/instrument-notation';
import { TICKER_STRIDE, TRADE_STRIDE } from '../shared/contract/tick-batch';
import type { Channel } from '../shared/market';
import { StreamingTuningSchema } from '../shared/settings';
import { serveRpc } from './rpc';

export type BrokerVenue = 'ib' | 'futu';
export type BrokerClientMode = 'adapter' | 'bare';
export interface BrokerWorkerStart {
  venue: BrokerVenue;
  mode: BrokerClientMode;
  host: string;
  port: number;
  /** Futu: the websocket key OpenD expects. */
  key?: string;
  /** IB: the API client id (default 0); two clients of one TWS need two. */
  clientId?: number;
  symbols: string[];
  channels: Channel[];
}

/** Market-data callbacks the client ran (bare) or rows the streaming service sent (adapter). */
let received = 0;
/** Adapter: batches sent to the parent (each pays a process.send: serialization and a pipe write). */
let batches = 0;
let stopClient: () => Promise<void> = async () => undefined;

function startAdapter(o: BrokerWorkerStart): void {
  // Batches leave through this process's real IPC channel, as the headless host's forked
  // streaming process sends them (process.send, 'advanced' serialization): the adapter
  // pays serialization and the pipe write, the bench's parent ignores what it receives.
  // Configure and subscribe, a handful of messages, come in through the in-process channel.
  const { child, parent } = memoryChannel();
  const ipc = connectToParent();
  const port: ParentPort = {
    ...child,
    kind: ipc.kind,
    post(m) {
      const msg = m as { type?: string; tickers?: unknown[]; trades?: unknown[]; books?: unknown[] };
      if (msg.type === 'ticks') {
        batches++;
        received += (msg.tickers?.length ?? 0) / TICKER_STRIDE + (msg.trades?.length ?? 0) / TRADE_STRIDE + (msg.books?.length ?? 0);
      }
      ipc.post(m);
    },
  };
  const service = new StreamingService({ port, exit: () => undefined });
  service.start();
  const connection = o.venue === 'ib' ? { ib: { host: o.host, port: o.port, clientId: o.clientId ?? 0 } } : { futu: { host: o.host, port: o.port, key: o.key } };
  parent.send({
    type: 'configure',
    exchanges: [{ id: o.venue, kind: o.venue, simulated: true, enabled: true, urls: {}, ...connection }],
    streaming: StreamingTuningSchema.parse({}),
    parentPid: process.pid,
    heartbeatMs: 1000,
  });
  parent.send({ type: 'subscribe', subs: o.symbols.flatMap((symbol) => o.channels.map((channel) => ({ exchange: o.venue, symbol, channel }))) });
  stopClient = async () => {
    await service.shutdown(2000);
  };
}

function startBareIb(o: BrokerWorkerStart): void {
  const api = new IBApi({ host: o.host, port: o.port });
  const count = (): void => void received++;
  api.on(EventName.tickPrice, count);
  api.on(EventName.tickSize, count);
  api.on(EventName.tickByTickAllLast, count);
  api.on(EventName.updateMktDepth, count);
  api.on(EventName.error, () => undefined); // data-farm notices come as errors; nothing to do here
  api.once(EventName.nextValidId, () => {
    let reqId = 1;
    for (const symbol of o.symbols) {
      const spec = parseIbNotation(symbol);
      if (!spec.ok) throw new Error(spec.error);
      const contract = toContract(spec.value);
      for (const channel of o.channels) {
        if (channel === 'ticker') api.reqMktData(reqId++, contract, '', false, false);
        else if (channel === 'trades') api.reqTickByTickData(reqId++, contract, TickByTickDataType.AllLast, 0, false);
        else api.reqMktDepth(reqId++, contract, StreamingTuningSchema.parse({}).bookDepth, false, []);
      }
    }
  });
  api.connect(o.clientId ?? 0);
  stopClient = async () => {
    api.disconnect();
  };
}

function startBareFutu(o: BrokerWorkerStart): void {
  const client: FutuClient = createFutuClient();
  client.onPush = () => void received++;
  client.onlogin = (ok) => {
    if (!ok) throw new Error('OpenD refused the bare client');
    for (const symbol of o.symbols) {
      const security = parseFutuSymbol(symbol);
      if ('error' in security) throw new Error(security.error);
      void client.Sub({
        c2s: {
          securityList: [{ market: security.qotMarket, code: security.code }],
          subTypeList: o.channels.map((c) => FUTU_SUB_TYPE[c]),
          isSubOrUnSub: true,
          isRegOrUnRegPush: true,
          isFirstPush: true,
        },
      });
    }
  };
  client.start(o.host, o.port, false, o.key ?? '');
  stopClient = async () => {
    client.stop();
    client.websock?.close();
  };
}

serveRpc({
  start: (o: BrokerWorkerStart) => {
    if (o.mode === 'adapter') startAdapter(o);
    else if (o.venue === 'ib') startBareIb(o);
    else startBareFutu(o);
  },
  counts: () => {
    const cpu = process.cpuUsage();
    return { received, batches, cpuMs: (cpu.user + cpu.system) / 1000, at: performance.now() };
  },
  stop: async () => {
    try {
      await Promise.race([stopClient(), new Promise((r) => setTimeout(r, 3000))]);
    } finally {
      setImmediate(() => process.exit(0));
    }
  },
});
