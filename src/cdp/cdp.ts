import type { CDPSession, Page } from '@playwright/test';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import { Emitter } from './emitter.js';
import { BackgroundServicesError, MissingCommandError, TargetClosedError, UnsupportedBrowserError } from './errors.js';

export type CommandName = keyof ProtocolMapping.Commands;
export type CommandParams<M extends CommandName> = ProtocolMapping.Commands[M]['paramsType'];
export type CommandResult<M extends CommandName> = ProtocolMapping.Commands[M]['returnType'];
export type EventName = keyof ProtocolMapping.Events;
export type EventPayload<E extends EventName> = ProtocolMapping.Events[E] extends [infer P] ? P : undefined;

/** `chromium 156.0.8078.79`, for messages about what the browser lacks. */
export function describeBrowser(page: Page): string {
  const browser = page.context().browser();
  return browser ? `${browser.browserType().name()} ${browser.version()}` : 'this browser';
}

/**
 * A typed CDP session on a page, with the checks every helper needs first: Chromium (a clear
 * error on Firefox or WebKit, not a protocol one) and a page that is still open.
 */
export async function openPageSession(page: Page, call: string): Promise<Cdp> {
  const browserName = page.context().browser()?.browserType().name();
  if (browserName && browserName !== 'chromium') throw new UnsupportedBrowserError(browserName);
  if (page.isClosed()) throw new TargetClosedError(`${call}: the page is already closed. Pass an open page.`);
  let session: CDPSession;
  try {
    session = await page.context().newCDPSession(page);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/only available in Chromium|not supported/i.test(message)) throw new UnsupportedBrowserError(browserName ?? 'a browser without CDP');
    throw error;
  }
  return Cdp.from(session, () => describeBrowser(page));
}

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
  private readonly closeEmitter = Emitter.signal();

  constructor(
    private readonly raw: RawSession,
    readonly describeBrowser: () => string = () => 'this browser',
  ) {
    raw.on('close', () => {
      this.closed = true;
      this.closeEmitter.emit();
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
      return (await this.raw.send(method, params[0])) as CommandResult<M>;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).replace(/^cdpSession\.send: /, '');
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

  /** Calls `listener` once the session closed (the page, its target or the browser went), at once if it already has. */
  onClose(listener: () => void): () => void {
    return this.closeEmitter.on(listener);
  }

  async detach(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.raw.detach().catch(() => {});
  }
}

type Handler = (payload: never) => void;

/**
 * A session to another target (a service worker), spoken through the page session with
 * Target.sendMessageToTarget: Playwright's CDPSession cannot address flattened child sessions.
 */
class TargetMessageSession implements RawSession {
  private nextId = 0;
  private readonly pending = new Map<number, { method: string; resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly parent: Cdp,
    private readonly sessionId: string,
  ) {
    this.unsubscribe.push(
      parent.on('Target.receivedMessageFromTarget', (event) => {
        if (event.sessionId !== sessionId) return;
        const message = JSON.parse(event.message) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
        if (message.id !== undefined) {
          const call = this.pending.get(message.id);
          if (!call) return;
          this.pending.delete(message.id);
          if (message.error) call.reject(new BackgroundServicesError(`Protocol error (${call.method}): ${message.error.message}`));
          else call.resolve(message.result);
        } else if (message.method) {
          for (const handler of [...(this.handlers.get(message.method) ?? [])]) handler(message.params as never);
        }
      }),
      parent.on('Target.detachedFromTarget', (event) => {
        if (event.sessionId === sessionId) this.close('the service worker target was detached');
      }),
      parent.onClose(() => this.close('the page session was closed')),
    );
  }

  private close(reason: string): void {
    for (const cleanup of this.unsubscribe.splice(0)) cleanup();
    for (const [, call] of this.pending) call.reject(new BackgroundServicesError(`Protocol error (${call.method}): ${reason}`));
    this.pending.clear();
    for (const handler of [...(this.handlers.get('close') ?? [])]) handler(undefined as never);
  }

  send(method: string, params: object = {}): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.parent.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: Error) => {
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  on(event: string, listener: Handler): void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(listener);
  }

  off(event: string, listener: Handler): void {
    this.handlers.get(event)?.delete(listener);
  }

  async detach(): Promise<void> {
    await this.parent.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => {});
    this.close('detached');
  }
}

/** A session that `parent`'s non-flat auto-attach (`Target.attachedToTarget`) opened. */
export function attachedSession(parent: Cdp, sessionId: string, describeBrowser?: () => string): Cdp {
  return new Cdp(new TargetMessageSession(parent, sessionId), describeBrowser);
}

/** Attaches to another target (e.g. a service worker) through a page session. */
export async function attachToTarget(parent: Cdp, targetId: string, describeBrowser?: () => string): Promise<Cdp> {
  const { sessionId } = await parent.send('Target.attachToTarget', { targetId, flatten: false });
  return new Cdp(new TargetMessageSession(parent, sessionId), describeBrowser);
}
