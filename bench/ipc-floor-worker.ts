// The process boundary's floor: what the IPC between a host and its streaming child
// costs on this machine by itself, at a given message rate, with no Foxtrot code and
// no ccxt. The path stages and the screen stage set it beside the CPU that the
// "≤ ×1.25 raw ccxt" target leaves for everything beyond ccxt: where this floor alone
// is above that allowance, no code that keeps the streaming process a process of its
// own (one batch per event-loop turn with data, no waits added) can meet the target at
// that rate.
//
// One file, two roles. As an RPC worker (the bench forks it) it plays the host: it
// forks itself as the child exactly as the headless host forks the streaming process
// (child_process.fork, serialization 'advanced'), receives the child's batches and
// acknowledges every `ackEvery` of them at the end of its turn, as the supervisor does.
// The child ('child' in argv) plays the streaming process: one small tick batch per
// timer turn at the asked rate. Each run is measured twice, the child's timer turns
// without sending (the control: a real streaming process is woken by its sockets
// whether or not it then sends, and raw ccxt pays those wake-ups too) and with
// sending; the floor is what sending added to the child plus what receiving and
// acknowledging cost the host.
import { fork, type ChildProcess } from 'node:child_process';
import type { IpcFloor } from './protocol';
import { serveRpc } from './rpc';

interface RunRequest { cmd: 'run'; perS: number; seconds: number; send: boolean }
interface RunResult { cmd: 'done'; cpuMs: number; seconds: number; sent: number; acks: number }

const CHILD = 'child';

/** A batch of the streaming process's smallest common shape: a few tickers and trades in columns. */
function sampleBatch(seq: number): object {
  return {
    type: 'ticks', seq, sentAt: performance.now(),
    keys: ['sim|BTC/USDT', 'sim|ETH/USDT', 'sim|SOL/USDT'],
    tickers: new Float64Array(2 * 10), trades: new Float64Array(1 * 7), tradeIds: ['1234567'],
    books: [], gaps: [], candles: [],
  };
}

/** Child role: answers one 'run' at a time; the parent's acks are read and counted. */
function runChild(): void {
  let acks = 0;
  process.on('message', (m: RunRequest | { type: 'ticks-ack' }) => {
    if ('type' in m) {
      acks++;
      return;
    }
    if (m.cmd !== 'run') return;
    const step = 1000 / m.perS;
    const t0 = performance.now();
    const end = t0 + m.seconds * 1000;
    const cpu0 = process.cpuUsage();
    const acks0 = acks;
    let due = t0;
    let sent = 0;
    const turn = (): void => {
      const t = performance.now();
      // one batch per turn, as the tick sink sends one per turn with data; a late turn sends once, not a burst
      if (t >= due) {
        if (m.send) process.send!(sampleBatch(sent));
        sent++;
        due = Math.max(due + step, t);
      }
      if (t < end) setTimeout(turn, Math.max(0, due - performance.now()));
      else {
        const c = process.cpuUsage(cpu0);
        process.send!({ cmd: 'done', cpuMs: (c.user + c.system) / 1000, seconds: (t - t0) / 1000, sent, acks: acks - acks0 } satisfies RunResult);
      }
    };
    setTimeout(turn, 0);
  });
  process.on('disconnect', () => process.exit(0));
}

/** Host role: one measurement; `ackEvery` batches per ack, posted at the end of the turn. */
async function measure(child: ChildProcess, perS: number, seconds: number, ackEvery: number): Promise<IpcFloor> {
  let received = 0;
  let acked = 0;
  let ackDue = false;
  const onBatch = (m: { type?: string }): void => {
    if (m.type !== 'ticks') return;
    received++;
    if (ackDue || received - acked < ackEvery) return;
    ackDue = true;
    setImmediate(() => {
      ackDue = false;
      acked = received;
      child.send({ type: 'ticks-ack', seq: received - 1 });
    });
  };
  child.on('message', onBatch);
  const run = (send: boolean): Promise<{ child: RunResult; hostMs: number }> => new Promise((resolve) => {
    const cpu0 = process.cpuUsage();
    const done = (m: RunResult | { type?: string }): void => {
      if (!('cmd' in m) || m.cmd !== 'done') return;
      child.off('message', done);
      const c = process.cpuUsage(cpu0);
      resolve({ child: m, hostMs: (c.user + c.system) / 1000 });
    };
    child.on('message', done);
    child.send({ cmd: 'run', perS, seconds, send } satisfies RunRequest);
  });
  try {
    const control = await run(false);
    const sending = await run(true);
    const s = sending.child.seconds;
    const childControlMsPerS = control.child.cpuMs / control.child.seconds;
    const childSendingMsPerS = sending.child.cpuMs / s;
    const hostMsPerS = sending.hostMs / s;
    return {
      batchesPerS: sending.child.sent / s,
      acksPerS: sending.child.acks / s,
      childControlMsPerS, childSendingMsPerS, hostMsPerS,
      floorMsPerS: Math.max(0, childSendingMsPerS - childControlMsPerS) + hostMsPerS,
    };
  } finally {
    child.off('message', onBatch);
  }
}

if (process.argv[2] === CHILD) runChild();
else {
  serveRpc({
    measure: async ({ perS, seconds, ackEvery }: { perS: number; seconds: number; ackEvery: number }) => {
      const child = fork(__filename, [CHILD], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        return await measure(child, perS, seconds, ackEvery);
      } finally {
        child.kill();
      }
    },
    stop: () => setImmediate(() => process.exit(0)),
  });
}
