// The built-in "sim" exchange: runs the exchange simulator inside the host so the
// first start always shows moving prices, even with no network. Exchanges marked
// `simulated` in settings get its URLs; nothing else knows they are simulated.
import type { Component } from '../lifecycle/component';
import type { Logger } from '../log/logger';
import { ExchangeSimulator } from '../../../simulator/exchange-simulator';
import type { ExchangeSettings, Settings } from '../../../shared/settings';
import type { SimFault } from '../../../shared/contract/sim-faults';

export class SimulatedExchange implements Component {
  readonly name = 'sim-exchange';
  readonly stopBudgetMs = 500;
  private sim: ExchangeSimulator | undefined;

  constructor(
    private readonly settings: () => Settings,
    private readonly log: Logger,
    readonly dependsOn: readonly string[] = [],
  ) {}

  get running(): boolean {
    return this.sim !== undefined;
  }

  async start(): Promise<void> {
    const s = this.settings();
    if (!s.exchanges.some((e) => e.simulated && e.enabled)) return;
    const symbols = [...new Set(s.watchlist.filter((w) => s.exchanges.find((e) => e.id === w.exchange)?.simulated).map((w) => w.symbol))];
    const sim = new ExchangeSimulator({ port: s.simulator.port, seed: s.simulator.seed, ratePerSymbol: s.simulator.ratePerSymbol });
    await sim.start();
    this.sim = sim;
    this.log.info('simulated exchange listening', { rest: sim.urls.rest, ws: sim.urls.ws, control: sim.urls.control, watched: symbols.length });
  }

  async stop(): Promise<void> {
    const sim = this.sim;
    this.sim = undefined;
    await sim?.stop();
  }

  /** Settings' exchanges with the simulator's endpoints filled in for simulated ones. */
  resolve(exchanges: ExchangeSettings[]): ExchangeSettings[] {
    return exchanges.map((e) => (e.simulated && this.sim ? { ...e, urls: { rest: this.sim.urls.rest, ws: this.sim.urls.ws } } : e));
  }

  fault(fault: SimFault): void {
    if (!this.sim) throw new Error('the simulated exchange is not running');
    this.sim.fault(fault);
    this.log.warn('simulator fault injected', { fault });
  }

  get simulator(): ExchangeSimulator | undefined {
    return this.sim;
  }
}
