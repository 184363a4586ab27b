import { describe, expect, it } from 'vitest';
import {
  CONNECTION_STATES, DATA_SOURCES, DISCONNECT_REASONS, EXCHANGE_MODES, SUBSCRIPTION_STATES,
  exchangeOfInstrument, instrumentId, parseSubscriptionId, subscriptionId,
} from '../../shared/market';
import { COMPONENT_STATES, HOST_KINDS, SHUTDOWN_PHASES, STREAMING_STATES } from '../../shared/engine-states';
import { ConnectionEventSchema, ExchangeStatusSchema, OutageSchema, SubscriptionStatusSchema } from '../../shared/contract/status';
import { ComponentProgressSchema, EngineDiagnosticsSchema, ShutdownProgressSchema, TickerRowSchema, ToRendererSchema } from '../../shared/contract/renderer-api';
import { LogRecordSchema } from '../../shared/contract/streaming-protocol';
import { LOG_LEVELS } from '../../shared/log/levels';
import { LEGAL_TRANSITIONS } from '../../electron/engine/lifecycle/component';

describe('one source for each vocabulary', () => {
  it('the status contract enumerates exactly the lists in shared/market.ts', () => {
    expect(ExchangeStatusSchema.shape.state.options).toEqual([...CONNECTION_STATES]);
    expect(ExchangeStatusSchema.shape.mode.options).toEqual([...EXCHANGE_MODES]);
    expect(SubscriptionStatusSchema.shape.state.options).toEqual([...SUBSCRIPTION_STATES]);
    expect(SubscriptionStatusSchema.shape.source.options).toEqual([...DATA_SOURCES]);
    expect(TickerRowSchema.shape.source.options).toEqual([...DATA_SOURCES]);
    // Disconnect reasons: one schema for the connection log and the outage record.
    expect(OutageSchema.shape.reason.options).toEqual([...DISCONNECT_REASONS]);
    expect(ConnectionEventSchema.shape.reason.unwrap().options).toEqual([...DISCONNECT_REASONS]);
  });

  it('the renderer contract enumerates exactly the lists in shared/engine-states.ts', () => {
    expect(ComponentProgressSchema.shape.state.options).toEqual([...COMPONENT_STATES]);
    expect(ShutdownProgressSchema.shape.phase.options).toEqual([...SHUTDOWN_PHASES]);
    expect(EngineDiagnosticsSchema.shape.streaming.shape.state.options).toEqual([...STREAMING_STATES]);
    const hello = ToRendererSchema.options.find((o) => o.shape.type.value === 'hello')!;
    expect('host' in hello.shape ? hello.shape.host.options : undefined).toEqual([...HOST_KINDS]);
  });

  it("forwarded log records take exactly the Logger's levels", () => {
    expect(LogRecordSchema.shape.level.options).toEqual([...LOG_LEVELS]);
  });

  it('the component state machine covers every component state', () => {
    expect(Object.keys(LEGAL_TRANSITIONS).sort()).toEqual([...COMPONENT_STATES].sort());
  });
});

describe('instrument and subscription ids', () => {
  it('an instrument id gives back its exchange, also when the symbol has no slash', () => {
    const id = instrumentId('sim', 'BTC/USDT');
    expect(id).toBe('sim|BTC/USDT');
    expect(exchangeOfInstrument(id)).toBe('sim');
    expect(exchangeOfInstrument(instrumentId('ib', 'AAPL'))).toBe('ib');
  });

  it('a subscription id round-trips, and a malformed one is refused', () => {
    const key = { exchange: 'sim', symbol: 'ETH/USDT', channel: 'trades' } as const;
    expect(parseSubscriptionId(subscriptionId(key))).toEqual(key);
    expect(parseSubscriptionId('sim|ETH/USDT')).toBeUndefined();
    expect(parseSubscriptionId('sim|ETH/USDT|candles')).toBeUndefined();
  });
});
