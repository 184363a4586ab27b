// The push fast path on the real futu-api client against the OpenD stand-in: it
// installs (the client still has what it relies on), pushes arrive through it with
// futu-api's onPush unset, and requests still get their replies (Sub, keep-alive).
import { afterEach, describe, expect, it } from 'vitest';
import FtWebsocket from 'futu-api';
import { FUTU_CMD } from '../../electron/streaming/adapters/futu/futu-api';
import { installPushFastPath } from '../../electron/streaming/adapters/futu/push-frames';
import { OpenDStandIn } from '../../simulator/opend/opend-standin';
import { provideWebSocketGlobal, quietClientConsole } from '../support/futu-websocket';
import { until } from '../support/until';

provideWebSocketGlobal();
quietClientConsole();

let opend: OpenDStandIn | undefined;
let client: FtWebsocket | undefined;

afterEach(async () => {
  client?.websock?.close();
  await opend?.close();
});

describe('Futu push fast path with the real client', () => {
  it('receives every push kind through the fast path while replies still resolve requests', async () => {
    opend = new OpenDStandIn({ seed: 3, pushIntervalMs: 20, websocketKey: 'k' });
    await opend.start();
    const c = (client = new FtWebsocket());
    const login = new Promise<boolean>((resolve) => (c.onlogin = (ok) => resolve(ok)));
    c.start('127.0.0.1', opend.port, false, 'k');
    const pushes: number[] = [];
    expect(installPushFastPath(c, [FUTU_CMD.updateBasicQot, FUTU_CMD.updateTicker, FUTU_CMD.updateOrderBook], (cmd) => pushes.push(cmd))).toBe(true);
    expect(c.onPush).toBeNull(); // nothing reaches futu-api's own push decoding
    expect((c.websock!.websock as unknown as { binaryType: string }).binaryType).toBe('nodebuffer');
    expect(await login).toBe(true);
    const answer = await c.Sub({ c2s: { securityList: [{ market: 1, code: '00700' }], subTypeList: [1, 4, 2], isSubOrUnSub: true, isRegOrUnRegPush: true, isFirstPush: true } });
    expect(answer.retType).toBe(0);
    await until(() => new Set(pushes).size === 3, 'basic quote, ticker and book pushes');
    expect((await c._sendCmd(FUTU_CMD.keepAlive, { c2s: { time: 1 } }, 'KeepAlive')).retType).toBe(0);
    expect(pushes.length).toBeLessThanOrEqual(opend.view().counts.pushes);
  });
});
