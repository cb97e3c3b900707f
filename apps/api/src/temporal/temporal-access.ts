import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { payloadCodecs } from '@app/encryption';
import type { Merchant } from '../api-config';
import { MERCHANTS_SECTION, TEMPORAL_SECTION, type MerchantsSection, type TemporalSection } from '../api-config-sections';

/**
 * Temporal as the API reaches it: for each merchant, a client in the merchant's namespace, which
 * starts runs eagerly while the API hosts workers (API_HOSTS_WORKER, HostedWorkerModule).
 *
 * Eager workflow start: a start that asks for it, sent on the same native connection a local
 * worker polls, comes back with the run's first workflow task, which that worker runs at once:
 * with the first attempt as a local activity, a payment whose upstream answers costs one start
 * and one task completion. Everything after a first task goes through the task queue: retries
 * are activity tasks, which only standalone workers take; later workflow tasks go to any worker
 * polling the queue, this one included (first to the worker that has the run cached).
 *
 * Until the hosted workers run (Temporal down at boot, a namespace without the search attributes)
 * and after they stop, runs start through the lazy clients without eager start, exactly as with
 * API_HOSTS_WORKER=false: the API boots and fails closed whatever state Temporal is in.
 */
@Injectable()
export class TemporalAccess {
  /**
   * One lazy connection, so the API starts (and answers 500 idempotency_validation_failed) even
   * while Temporal is down. Its clients' calls honour abort signals, so a wait the API gives up on
   * stops polling (the native connection of SDK 1.24 ignores them): waits and describes use these.
   */
  private readonly lazyClients: ReadonlyMap<string, Client>;
  private starting: { clients: ReadonlyMap<string, Client>; eager: boolean };

  constructor(
    @Inject(TEMPORAL_SECTION) private readonly settings: TemporalSection,
    @Inject(MERCHANTS_SECTION) private readonly merchants: MerchantsSection,
  ) {
    if (settings.encryption === null) new Logger('Temporal').warn('PAYLOAD_ENCRYPTION_KEYS is unset: request bodies are stored in Temporal in plain text');
    this.lazyClients = this.clientsOn(Connection.lazy(settings.connection));
    this.starting = { clients: this.lazyClients, eager: false };
  }

  /** The client that starts the merchant's runs: eager through the hosted workers' connection while they run. */
  startingClient(merchant: Merchant): Client {
    return this.clientIn(this.starting.clients, merchant);
  }

  /** Whether a start may ask for eager execution: only when a worker polls on the starting client's connection. */
  get eagerStart(): boolean {
    return this.starting.eager;
  }

  /** The merchant's client for everything but starts: describes, waits, the namespace. */
  client(merchant: Merchant): Client {
    return this.clientIn(this.lazyClients, merchant);
  }

  /**
   * Bounds one call to Temporal by TEMPORAL_RPC_TIMEOUT_MS; past it the state asked about counts as
   * unreadable (fail closed). The deadline is kept by the connection that makes the call, so it
   * must be that client's.
   */
  withRpcDeadline<T>(client: Client, call: () => Promise<T>): Promise<T> {
    return client.withDeadline(Date.now() + this.settings.rpcTimeoutMs, call);
  }

  /** Hosted workers poll on `connection`: starts go through it and ask for eager execution. */
  startEagerOn(connection: ConnectionLike): void {
    this.starting = { clients: this.clientsOn(connection), eager: true };
  }

  /** The hosted workers stopped (or are stopping): starts go back to the lazy clients, without eager start. */
  stopEagerStarts(): void {
    this.starting = { clients: this.lazyClients, eager: false };
  }

  /** A client per merchant namespace on one connection, with the options every client of the API uses. */
  private clientsOn(connection: ConnectionLike): ReadonlyMap<string, Client> {
    const dataConverter = { payloadCodecs: payloadCodecs(this.settings.encryption) };
    // With tracing on, the request's trace context goes in the start's headers: the run's spans join its trace.
    const interceptors = { workflow: !this.settings.traced ? [] : [new OpenTelemetryWorkflowClientInterceptor()] };
    return new Map(this.merchants.map((merchant) => [merchant.name, new Client({ connection, namespace: merchant.namespace, dataConverter, interceptors })]));
  }

  private clientIn(clients: ReadonlyMap<string, Client>, merchant: Merchant): Client {
    const client = clients.get(merchant.name);
    if (client === undefined) throw new Error(`no Temporal client for merchant "${merchant.name}"`);
    return client;
  }
}
