// The built-in "sim" exchanges: runs the simulators inside the host so the first
// start always shows moving prices, even with no network and no broker account.
// Simulated ccxt entries get the Binance-protocol simulator's URLs; simulated IB
// entries ("sim-ib") get the TWS stand-in's host and port, simulated Futu entries
// ("sim-futu") the OpenD stand-in's. Nothing else knows they are simulated.
// Faults are a developer tool: with ui.devMenu off the simulator runs without its
// HTTP control endpoint and fault() refuses, so nothing in a normal run can take
// the terminal down on purpose. With it on, the control URL and its per-run token
// go to the log for curl.
import type { Component } from '../lifecycle/component';
import type { Logger } from '../log/logger';
import { ExchangeSimulator } from '../../../simulator/exchange-simulator';
import { TwsSimulator } from '../../../simulator/tws/tws-simulator';
import type { OpenDStandIn } from '../../../simulator/opend/opend-standin';
import type { ExchangeSettings, Settings } from '../../../shared/settings';
import type { SimFault } from '../../../shared/contract/sim-faults';
import type { BrokerFault } from '../../../shared/contract/broker-faults';

/** The OpenD stand-in listens here (its default). */
const OPEND_HOST = '127.0.0.1';

/**
 * The OpenD stand-in's module, loaded only when a simulated Futu entry is enabled:
 * it parses futu-api's protobuf definitions when loaded, start-up time and memory
 * a host without a simulated Futu entry does not spend.
 */
export type LoadOpenD = () => Promise<typeof OpenDStandIn>;
const loadOpenD: LoadOpenD = async () => (await import('../../../simulator/opend/opend-standin')).OpenDStandIn;

export class SimulatedExchange implements Component {
  readonly name = 'sim-exchange';
  readonly stopBudgetMs = 500;
  private sim: ExchangeSimulator | undefined;
  private tws: TwsSimulator | undefined;
  private opend: OpenDStandIn | undefined;

  constructor(
    private readonly settings: () => Settings,
    private readonly log: Logger,
    readonly dependsOn: readonly string[] = [],
    private readonly openDModule: LoadOpenD = loadOpenD,
  ) {}

  get running(): boolean {
    return this.sim !== undefined || this.tws !== undefined || this.opend !== undefined;
  }

  async start(): Promise<void> {
    const s = this.settings();
    if (s.exchanges.some((e) => e.simulated && e.enabled && e.kind === 'ib')) {
      const tws = new TwsSimulator({ seed: s.simulator.seed, ratePerRequest: s.simulator.ratePerSymbol });
      await tws.start();
      this.tws = tws;
      this.log.info('simulated TWS listening', { host: tws.host, port: tws.port });
    }
    if (s.exchanges.some((e) => e.simulated && e.enabled && e.kind === 'futu')) {
      // Pushes at the Binance simulator's per-symbol rate; OpenD's real one-minute unsubscribe rule.
      const OpenD = await this.openDModule();
      const opend = new OpenD({ seed: s.simulator.seed, pushIntervalMs: Math.min(60_000, Math.max(1, Math.round(1000 / s.simulator.ratePerSymbol))) });
      await opend.start();
      this.opend = opend;
      this.log.info('simulated OpenD listening', { host: OPEND_HOST, port: opend.port });
    }
    if (!s.exchanges.some((e) => e.simulated && e.enabled && e.kind === 'ccxt')) return;
    const symbols = [...new Set(s.watchlist.filter((w) => s.exchanges.find((e) => e.id === w.exchange)?.simulated).map((w) => w.symbol))];
    const devMenu = s.ui.devMenu;
    const sim = new ExchangeSimulator({ port: s.simulator.port, seed: s.simulator.seed, ratePerSymbol: s.simulator.ratePerSymbol, control: devMenu });
    await sim.start();
    this.sim = sim;
    this.log.info('simulated exchange listening', { rest: sim.urls.rest, ws: sim.urls.ws, ...(devMenu ? { control: sim.urls.control } : {}), watched: symbols.length });
    // On purpose, and only with the developer menu on: the control token in the message
    // text, where the log's redaction of secret-named fields does not reach, so that
    // curl (README) and the end-to-end specs can drive the app's own simulator. It is
    // valid for this run only and opens nothing but the local simulator's fault control.
    if (devMenu) this.log.info(`simulated exchange control token (ui.devMenu is on): ${sim.controlToken}`);
  }

  async stop(): Promise<void> {
    const sim = this.sim;
    const tws = this.tws;
    const opend = this.opend;
    this.sim = undefined;
    this.tws = undefined;
    this.opend = undefined;
    await Promise.all([sim?.stop(), tws?.stop(), opend?.close()]);
  }

  /** Settings' exchanges with the simulators' endpoints filled in for simulated ones. */
  resolve(exchanges: ExchangeSettings[]): ExchangeSettings[] {
    return exchanges.map((e) => {
      if (!e.simulated) return e;
      if (e.kind === 'ccxt' && this.sim) return { ...e, urls: { rest: this.sim.urls.rest, ws: this.sim.urls.ws } };
      if (e.kind === 'ib' && this.tws) return { ...e, ib: { host: this.tws.host, port: this.tws.port, clientId: e.ib?.clientId ?? 0 } };
      if (e.kind === 'futu' && this.opend) return { ...e, futu: { host: OPEND_HOST, port: this.opend.port, key: '' } }; // the stand-in checks no key
      return e;
    });
  }

  /**
   * Injects a fault; refused unless ui.devMenu is on. A dropped connection drops the
   * TWS and OpenD stand-ins' connections too, and "clear" clears their faults too;
   * their own faults come through brokerFault().
   */
  fault(fault: SimFault): void {
    this.checkDevMenu();
    const reachesBrokers = fault.kind === 'drop' || fault.kind === 'clear';
    if (!this.sim && !((this.tws || this.opend) && reachesBrokers)) throw new Error('the simulated exchange is not running');
    this.sim?.fault(fault);
    if (fault.kind === 'drop' || fault.kind === 'clear') {
      this.tws?.fault({ kind: fault.kind });
      this.opend?.fault({ kind: fault.kind });
    }
    this.log.warn('simulator fault injected', { fault });
  }

  /** Injects a fault into the stand-in of one broker kind; refused unless ui.devMenu is on and that stand-in runs. */
  brokerFault(fault: BrokerFault): void {
    this.checkDevMenu();
    if (fault.broker === 'ib') {
      if (!this.tws) throw new Error('the simulated TWS is not running (no enabled simulated IB entry)');
      this.tws.fault(fault.fault);
    } else {
      if (!this.opend) throw new Error('the simulated OpenD is not running (no enabled simulated Futu entry)');
      this.opend.fault(fault.fault);
    }
    this.log.warn('broker stand-in fault injected', { broker: fault.broker, fault: fault.fault });
  }

  private checkDevMenu(): void {
    if (!this.settings().ui.devMenu) throw new Error('simulator faults need the developer menu (ui.devMenu)');
  }

  get simulator(): ExchangeSimulator | undefined {
    return this.sim;
  }

  /** The TWS stand-in serving simulated IB entries, while it runs. */
  get twsSimulator(): TwsSimulator | undefined {
    return this.tws;
  }

  /** The OpenD stand-in serving simulated Futu entries, while it runs. */
  get openDStandIn(): OpenDStandIn | undefined {
    return this.opend;
  }
}
