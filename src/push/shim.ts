/**
 * The browser side of the local push service: `pushManager.subscribe()`, `getSubscription()` and
 * `PushSubscription.unsubscribe()` ask the service (over HTTPS, trusted by SPKI pin) instead of
 * Chromium's own push service, which a test cannot reach. Runs as an init script in every page of
 * the context and at the top of every service worker script; it is serialized (and put on one
 * line, so that the worker's own line numbers stay right), so it has no comments and uses nothing
 * from its module. A PushManager does not expose its registration, and the service keys
 * subscriptions by scope: the `pushManager` getter remembers whose manager it handed out.
 */
function installPushShim(serviceUrl: string): void {
  const scope = globalThis as typeof globalThis & { __pwbsPushShim?: string };
  if (typeof PushManager === 'undefined' || typeof ServiceWorkerRegistration === 'undefined' || scope.__pwbsPushShim) return;
  scope.__pwbsPushShim = serviceUrl;
  const descriptor = Object.getOwnPropertyDescriptor(ServiceWorkerRegistration.prototype, 'pushManager');
  if (!descriptor?.get) return;
  /* Kept to be called with the registration as `this`. (Block comments only: the function goes on one line.) */
  /* eslint-disable-next-line @typescript-eslint/unbound-method */
  const getPushManager = descriptor.get;
  const owners = new WeakMap<PushManager, ServiceWorkerRegistration>();
  Object.defineProperty(ServiceWorkerRegistration.prototype, 'pushManager', {
    ...descriptor,
    get(this: ServiceWorkerRegistration) {
      const manager = getPushManager.call(this) as PushManager;
      owners.set(manager, this);
      return manager;
    },
  });
  const encode = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const decode = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  interface Subscription {
    endpoint: string;
    keys: { p256dh: string; auth: string };
    applicationServerKey: string;
  }
  const ask = async (registration: ServiceWorkerRegistration, body: Record<string, unknown>): Promise<Subscription | null> => {
    const response = await fetch(`${serviceUrl.startsWith('/') ? location.origin : ''}${serviceUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ scope: registration.scope, ...body }),
    }).catch((error: Error) => {
      throw new DOMException(`Registration failed - the test's push service at ${serviceUrl} is unreachable: ${error.message}`, 'AbortError');
    });
    const answer = (await response.json()) as { subscription?: Subscription | null; name?: string; message?: string };
    if (!response.ok) throw new DOMException(answer.message ?? `push service answered ${response.status}`, answer.name ?? 'AbortError');
    return answer.subscription ?? null;
  };
  const wrap = (subscription: Subscription, registration: ServiceWorkerRegistration): PushSubscription => {
    const keys: Record<string, Uint8Array> = { p256dh: decode(subscription.keys.p256dh), auth: decode(subscription.keys.auth) };
    const json = { endpoint: subscription.endpoint, expirationTime: null, keys: { ...subscription.keys } };
    const result = Object.create(PushSubscription.prototype) as PushSubscription;
    Object.defineProperties(result, {
      endpoint: { value: subscription.endpoint, enumerable: true },
      expirationTime: { value: null, enumerable: true },
      options: { value: Object.freeze({ applicationServerKey: decode(subscription.applicationServerKey).buffer, userVisibleOnly: true }), enumerable: true },
      getKey: { value: (name: string) => (keys[name] ? keys[name].slice().buffer : null) },
      toJSON: { value: (): unknown => JSON.parse(JSON.stringify(json)) },
      unsubscribe: { value: async () => (await ask(registration, { op: 'unsubscribe', endpoint: subscription.endpoint })) !== null },
    });
    return result;
  };
  const registrationOf = (manager: PushManager): ServiceWorkerRegistration => {
    const own = (globalThis as { registration?: ServiceWorkerRegistration }).registration;
    const registration = owners.get(manager) ?? (own && getPushManager.call(own) === manager ? own : undefined);
    if (!registration) throw new DOMException('This PushManager was not reached through registration.pushManager.', 'InvalidStateError');
    return registration;
  };
  const toKey = async (key: unknown): Promise<Uint8Array> => {
    let bytes: Uint8Array | undefined;
    if (typeof key === 'string') {
      try {
        bytes = decode(key);
      } catch {
        throw new DOMException('The provided applicationServerKey is not encoded as base64url without padding.', 'InvalidCharacterError');
      }
    } else if (key instanceof ArrayBuffer) bytes = new Uint8Array(key);
    else if (ArrayBuffer.isView(key)) bytes = new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    if (bytes?.length !== 65 || bytes[0] !== 4) throw new DOMException('The provided applicationServerKey is not valid.', 'InvalidAccessError');
    /* 0x04 and 64 bytes can still be off the curve; Web Crypto's import checks the point. */
    const onCurve = await crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'ECDH', namedCurve: 'P-256' }, true, []).then(
      () => true,
      () => false,
    );
    if (!onCurve) throw new DOMException('The provided applicationServerKey is not valid: it is not a point on the P-256 curve.', 'InvalidAccessError');
    return bytes;
  };
  const replace = (name: 'subscribe' | 'getSubscription', value: (this: PushManager, ...args: never[]) => Promise<PushSubscription | null>) => {
    Object.defineProperty(PushManager.prototype, name, { value, writable: true, configurable: true, enumerable: true });
  };
  /* Kept to be called with the manager as `this`. */
  /* eslint-disable-next-line @typescript-eslint/unbound-method */
  const permissionState = PushManager.prototype.permissionState;
  replace('subscribe', async function (this: PushManager, options?: PushSubscriptionOptionsInit) {
    const registration = registrationOf(this);
    if (!registration.active) throw new DOMException('Subscription failed - no active Service Worker', 'AbortError');
    if (options?.userVisibleOnly !== true) {
      throw new DOMException('Registration failed - permission denied (Chrome only supports subscriptions with userVisibleOnly: true)', 'NotAllowedError');
    }
    if (options.applicationServerKey == null)
      throw new DOMException('Registration failed - missing applicationServerKey, and manifest empty or missing', 'AbortError');
    const key = await toKey(options.applicationServerKey);
    const state = await permissionState.call(this, { userVisibleOnly: true }).catch(() => 'granted');
    if (state !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    return wrap((await ask(registration, { op: 'subscribe', applicationServerKey: encode(key) }))!, registration);
  });
  replace('getSubscription', async function (this: PushManager) {
    const registration = registrationOf(this);
    const subscription = await ask(registration, { op: 'get' });
    return subscription ? wrap(subscription, registration) : null;
  });
}

/** The script, on one line, that routes the Push API of a page or service worker to the service at `serviceUrl`. */
export function pushShimScript(serviceUrl: string): string {
  return `(${installPushShim.toString().replace(/\n\s*/g, ' ')})(${JSON.stringify(serviceUrl)});`;
}
