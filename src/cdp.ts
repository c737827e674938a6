import type { CDPSession } from '@playwright/test';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import { MissingCommandError } from './errors.js';

export type CommandName = keyof ProtocolMapping.Commands;
export type CommandParams<M extends CommandName> = ProtocolMapping.Commands[M]['paramsType'];
export type CommandResult<M extends CommandName> = ProtocolMapping.Commands[M]['returnType'];
export type EventName = keyof ProtocolMapping.Events;
export type EventPayload<E extends EventName> = ProtocolMapping.Events[E] extends [infer P] ? P : undefined;

/** The structural part of Playwright's CDPSession this library relies on. */
export interface RawSession {
  send(method: string, params?: object): Promise<unknown>;
  on(event: string, listener: (payload: never) => void): unknown;
  off(event: string, listener: (payload: never) => void): unknown;
  detach(): Promise<void>;
}

/**
 * A CDP session typed once from devtools-protocol's ProtocolMapping (the Puppeteer way), so
 * every command, parameter, result and event below is checked against the protocol, whatever
 * protocol version the installed Playwright bundles.
 */
export class Cdp {
  private closed = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    private readonly raw: RawSession,
    private readonly describeBrowser: () => string = () => 'this browser',
  ) {
    raw.on('close', () => {
      this.closed = true;
      for (const listener of [...this.closeListeners]) listener();
    });
  }

  static from(session: CDPSession, describeBrowser?: () => string): Cdp {
    return new Cdp(session as unknown as RawSession, describeBrowser);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async send<M extends CommandName>(method: M, ...params: CommandParams<M>): Promise<CommandResult<M>> {
    try {
      return (await this.raw.send(method, params[0] as object | undefined)) as CommandResult<M>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/wasn't found|-32601|not found/i.test(message) && message.includes(method)) {
        throw new MissingCommandError(method, this.describeBrowser(), message);
      }
      throw error;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const wrapped = listener as (payload: never) => void;
    this.raw.on(event, wrapped);
    return () => {
      this.raw.off(event, wrapped);
    };
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async detach(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.raw.detach().catch(() => {});
  }
}
