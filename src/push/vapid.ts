import type { JWTPayload } from 'jose';
import { BackgroundServicesError } from '../cdp/errors.js';

/** A refusal as a push service answers it: the status and the reason (also the body). */
export class PushRefusal extends BackgroundServicesError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PushRefusal';
  }
}

export interface VapidClaims {
  scheme: 'vapid' | 'WebPush';
  publicKey: string;
  subject: string;
  audience: string;
  /** Epoch seconds. */
  expiresAt: number;
}

const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
// Clocks of the application server and the push service differ a little.
const CLOCK_SKEW_SECONDS = 60;

/** `Crypto-Key: dh=…;p256ecdsa=…` (several values separated by `,` or `;`) as a map. */
export function cryptoKeyParams(header: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of (header ?? '').split(/[;,]/)) {
    const match = /^\s*([A-Za-z0-9_-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (match) params[match[1]!.toLowerCase()] = match[2]!;
  }
  return params;
}

/** The token and key of an `Authorization` header, either form; 401 when there is none. */
export function readVapidHeader(
  authorization: string | undefined,
  cryptoKey: string | undefined,
): { scheme: VapidClaims['scheme']; token: string; key: string } {
  if (!authorization) {
    throw new PushRefusal(
      401,
      'Missing Authorization header: this subscription was created with an applicationServerKey, so every message needs VAPID (Authorization: vapid t=<JWT>, k=<public key>; RFC 8292).',
    );
  }
  const vapid = /^vapid\s+(.*)$/i.exec(authorization);
  if (vapid) {
    const params = Object.fromEntries(
      vapid[1]!.split(',').map((part) => {
        const [name, ...value] = part.split('=');
        return [name!.trim().toLowerCase(), value.join('=').trim()];
      }),
    );
    if (!params.t || !params.k) {
      throw new PushRefusal(401, `Authorization: vapid needs both t=<JWT> and k=<public key>, got ${JSON.stringify(authorization.slice(0, 80))}.`);
    }
    return { scheme: 'vapid', token: params.t, key: params.k };
  }
  const webpush = /^WebPush\s+(\S+)$/i.exec(authorization);
  if (webpush) {
    const key = cryptoKeyParams(cryptoKey).p256ecdsa;
    if (!key) throw new PushRefusal(401, 'Authorization: WebPush <JWT> needs the public key in Crypto-Key: p256ecdsa=<key>; there was none.');
    return { scheme: 'WebPush', token: webpush[1]!, key };
  }
  throw new PushRefusal(401, `Authorization header is neither "vapid t=…, k=…" nor "WebPush <JWT>": ${JSON.stringify(authorization.slice(0, 80))}.`);
}

function rawKeyToJwk(raw: Buffer): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
  return { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') };
}

/**
 * Verifies a VAPID token (ES256, `aud` the push service's origin, `exp` within 24 hours, `sub`
 * a `mailto:` or `https:` contact) against the key the subscription was created with; 403 otherwise.
 */
export async function verifyVapid(
  header: { scheme: VapidClaims['scheme']; token: string; key: string },
  applicationServerKey: string,
  audience: string,
  now = Date.now(),
): Promise<VapidClaims> {
  const raw = Buffer.from(header.key, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) {
    throw new PushRefusal(
      403,
      `The VAPID public key is not an uncompressed P-256 point (65 bytes starting 0x04, base64url): ${JSON.stringify(header.key.slice(0, 100))}.`,
    );
  }
  if (raw.toString('base64url') !== Buffer.from(applicationServerKey, 'base64url').toString('base64url')) {
    throw new PushRefusal(
      403,
      `The VAPID public key ${header.key} is not the applicationServerKey this subscription was created with (${applicationServerKey}). Sign with the key pair whose public key the page passed to pushManager.subscribe().`,
    );
  }
  // On the first push: jose's import is a fifth of a second that a worker without a push need not pay.
  const { decodeProtectedHeader, importJWK, jwtVerify } = await import('jose');
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(header.token).alg;
  } catch (error) {
    throw new PushRefusal(403, `The VAPID token is not a JWT: ${(error as Error).message}.`);
  }
  if (alg !== 'ES256') throw new PushRefusal(403, `The VAPID token must be signed with ES256, got alg ${JSON.stringify(alg)}.`);
  let payload: JWTPayload;
  try {
    const key = await importJWK(rawKeyToJwk(raw), 'ES256');
    ({ payload } = await jwtVerify(header.token, key, {
      algorithms: ['ES256'],
      audience,
      requiredClaims: ['aud', 'exp', 'sub'],
      currentDate: new Date(now),
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        ? 'its signature does not verify with the VAPID public key'
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (error as { claim?: string }).claim === 'aud'
          ? `its aud is not this push service's origin ${audience}`
          : (error as Error).message;
    throw new PushRefusal(403, `The VAPID token was refused: ${reason}.`);
  }
  const exp = payload.exp!;
  if (exp > now / 1000 + MAX_EXPIRY_SECONDS + CLOCK_SKEW_SECONDS) {
    throw new PushRefusal(403, `The VAPID token expires ${new Date(exp * 1000).toISOString()}, more than 24 hours from now (RFC 8292 §2).`);
  }
  const subject = String(payload.sub);
  if (!/^(mailto:|https:)/.test(subject)) {
    throw new PushRefusal(403, `The VAPID token's sub must be a mailto: or https: contact, got ${JSON.stringify(subject)}.`);
  }
  return { scheme: header.scheme, publicKey: header.key, subject, audience, expiresAt: exp };
}
