/**
 * Slack being down, in the ways it goes down (types.ts, OutageMode), and the count of Web API
 * requests per second that shows how hard a client knocks while it is.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { CallRateSample, OutageMode } from './types.ts';

export class Outage {
  readonly #server: Server;
  readonly #address: () => { port: number; host: string };
  #mode: OutageMode | undefined;
  /** Requests a 'timeout' outage holds: cut off when it ends. */
  readonly #held = new Set<IncomingMessage>();
  /** Unix second → Web API requests that arrived in it. */
  readonly #callsPerSecond = new Map<number, number>();

  constructor(server: Server, address: () => { port: number; host: string }) {
    this.#server = server;
    this.#address = address;
  }

  get mode(): OutageMode | undefined {
    return this.#mode;
  }

  async start(mode: OutageMode): Promise<void> {
    if (this.#mode === 'refuse' && mode !== 'refuse') await this.#listenAgain();
    this.releaseHeld();
    this.#mode = mode;
    if (mode === 'refuse') await this.stopListening();
  }

  async end(): Promise<void> {
    if (this.#mode === 'refuse') await this.#listenAgain();
    this.#mode = undefined;
    this.releaseHeld();
  }

  /**
   * Counts a Web API request; true when the outage holds it unanswered, as a hung Slack does
   * (the client's own timeout ends it).
   */
  arrived(req: IncomingMessage, at: Date): boolean {
    const second = Math.floor(at.getTime() / 1000);
    this.#callsPerSecond.set(second, (this.#callsPerSecond.get(second) ?? 0) + 1);
    if (this.#mode !== 'timeout') return false;
    this.#held.add(req);
    req.socket.once('close', () => this.#held.delete(req));
    return true;
  }

  callRate(): CallRateSample[] {
    return [...this.#callsPerSecond]
      .map(([second, calls]) => ({ second, calls }))
      .sort((a, b) => a.second - b.second);
  }

  releaseHeld(): void {
    for (const req of this.#held) req.socket.destroy();
    this.#held.clear();
  }

  /** Stops accepting connections and drops open ones: new ones are refused by the kernel. */
  async stopListening(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** On the same port, so the clients' configured URL holds again. */
  async #listenAgain(): Promise<void> {
    if (this.#server.listening) return;
    const { port, host } = this.#address();
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
  }
}
