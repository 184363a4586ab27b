// The built-in "sim" exchange: runs the exchange simulator inside the host so the
// first start always shows moving prices, even with no network. Exchanges marked
// `simulated` in settings get its URLs; nothing else knows they are simulated.
// Faults are a developer tool: with ui.devMenu off the simulator runs without its
// HTTP control endpoint and fault() refuses, so nothing in a normal run can take
// the terminal down on purpose. With it on, the control URL and its per-run token
// go to the log for curl.
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
    const devMenu = s.ui.devMenu;
    const sim = new ExchangeSimulator({ port: s.simulator.port, seed: s.simulator.seed, ratePerSymbol: s.simulator.ratePerSymbol, control: devMenu });
    await sim.start();
    this.sim = sim;
    const control = devMenu ? { control: sim.urls.control, controlToken: sim.controlToken } : {};
    this.log.info('simulated exchange listening', { rest: sim.urls.rest, ws: sim.urls.ws, ...control, watched: symbols.length });
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

  /** Injects a fault; refused unless ui.devMenu is on. */
  fault(fault: SimFault): void {
    if (!this.settings().ui.devMenu) throw new Error('simulator faults need the developer menu (ui.devMenu)');
    if (!this.sim) throw new Error('the simulated exchange is not running');
    this.sim.fault(fault);
    this.log.warn('simulator fault injected', { fault });
  }

  get simulator(): ExchangeSimulator | undefined {
    return this.sim;
  }
}
