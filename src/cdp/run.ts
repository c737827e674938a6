import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from './certificate.js';
import { BackgroundServicesError } from './errors.js';

/** The file of the run's folder where its FCM front writes the TLS handshakes that backends broke off (JSON lines). */
export const HANDSHAKE_FAILURES = 'fcm-handshake-failures.jsonl';

/** The environment variable that hands the run's set-up from the runner process to its workers. */
export const RUN_ENV = 'PLAYWRIGHT_BACKGROUND_SERVICES_RUN';

/**
 * What one `playwright test` run shares with the backends that its `webServer` starts, before any
 * worker exists: one key and certificate (every local HTTPS server of the run presents it, so a
 * backend trusts them all through one `NODE_EXTRA_CA_CERTS` file), and the ports of the fronts
 * that stand at fixed addresses for the whole run.
 */
export interface RunSetup {
  dir: string;
  key: string;
  certificate: string;
  /** The FCM front: Google's FCM hosts, redirected here, for every worker's stand-ins. */
  fcmPort: number;
  /** The report collector's front: the `Reporting-Endpoints` URL that a backend sends. */
  collectorPort: number;
  /** The HTTPS proxy (`HTTPS_PROXY`) for backends in other languages: FCM's hosts to the FCM front. */
  proxyPort: number;
  /** Access tokens minted by any server of the run start with `ya29.pwbs-<secret>-`. */
  secret: string;
}

let read: { dir: string; setup: RunSetup } | undefined;

/** The run's set-up when the config asked for one (`backgroundServicesWebServer()`), else `undefined`. */
export function runSetup(): RunSetup | undefined {
  const dir = process.env[RUN_ENV];
  if (!dir) return undefined;
  if (read?.dir !== dir) {
    try {
      read = { dir, setup: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunSetup };
    } catch (error) {
      throw new BackgroundServicesError(
        `${RUN_ENV}=${dir}: cannot read its run.json (${(error as Error).message}). It is set by backgroundServicesWebServer() in the runner process; ` +
          `unset it, or call backgroundServicesWebServer() from playwright.config.ts.`,
      );
    }
  }
  return read.setup;
}

/**
 * Makes the run's set-up in a new directory: a certificate for 127.0.0.1, localhost and `hosts`,
 * and three free ports. Synchronous, because a Playwright config is: a child process does the
 * asynchronous part.
 */
export function createRunSetup(hosts: readonly string[]): RunSetup {
  const pems = selfSignedCertificate('playwright-background-services', hosts);
  // A Playwright config is synchronous; free ports are asked for asynchronously, so a child process does it.
  const script = `
    import net from 'node:net';
    const servers = await Promise.all([0, 1, 2].map(() => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => resolve(s)); })));
    const ports = servers.map((s) => s.address().port);
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    process.stdout.write(JSON.stringify(ports));`;
  const ports = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }),
  ) as [number, number, number];
  const dir = mkdtempSync(join(tmpdir(), 'pwbs-run-'));
  const setup: RunSetup = {
    dir,
    key: pems.private,
    certificate: pems.cert,
    fcmPort: ports[0],
    collectorPort: ports[1],
    proxyPort: ports[2],
    secret: randomBytes(9).toString('base64url'),
  };
  mkdirSync(join(dir, 'fcm-servers'));
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify(setup), { mode: 0o600 });
  writeFileSync(runCertificateFile(setup), setup.certificate);
  return setup;
}

/** The run's certificate as a file, for `NODE_EXTRA_CA_CERTS`. */
export function runCertificateFile(run: RunSetup): string {
  return join(run.dir, 'certificate.pem');
}

/** The run's registries of the workers' servers, which the runner's fronts forward to. */
export type RunRegistry = 'fcm-servers' | 'collectors';

/** Registers this worker's server on `port` as `name` in `registry`; the returned function removes it. */
export function registerInRun(run: RunSetup, registry: RunRegistry, name: string, port: number): () => void {
  const file = join(run.dir, registry, `${name}.json`);
  writeFileSync(file, JSON.stringify({ port, pid: process.pid }));
  return () => rmSync(file, { force: true });
}

/** The servers of `registry` whose worker is alive: port by name. */
export function liveWorkers(run: RunSetup, registry: RunRegistry): Map<string, number> {
  const dir = join(run.dir, registry);
  const workers = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    try {
      const { port, pid } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { port: number; pid: number };
      process.kill(pid, 0);
      workers.set(file.replace(/\.json$/, ''), port);
    } catch {
      // A worker that ended without removing its file, or a file half written.
    }
  }
  return workers;
}
