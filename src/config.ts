import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunSetup, RUN_ENV, runCertificateFile, runSetup, type RunSetup } from './cdp/run.js';
import { FCM_HOSTS, redirectPreloadScript } from './fcm/redirect.js';
import { standInEnv, systemRoots, writeServiceAccount } from './fcm/standIn.js';
import { FcmProxy } from './fcm/proxy.js';
import { CollectorFront } from './web-server/collectorFront.js';
import { FcmFront } from './web-server/fcmFront.js';

/** What `backgroundServicesWebServer()` gives the config: the backend's environment and the run's report endpoints. */
export interface WebServerServices {
  /** Spread into `webServer.env` (docs/web-server.md lists the variables). */
  env: Record<string, string>;
  /** The run's report endpoint `name` (default `main`). */
  reportingEndpoint(name?: string): string;
}

const FRONTS = Symbol.for('playwright-background-services.web-server-fronts');

/**
 * The push service, FCM stand-in and report collector, reachable from a `webServer` backend.
 * @example
 * const services = backgroundServicesWebServer();
 * export default defineConfig({ webServer: { command: 'node server.mjs', url: 'http://localhost:3000', env: services.env } });
 */
export function backgroundServicesWebServer(): WebServerServices {
  let run = runSetup();
  if (!run) {
    run = createRunSetup(FCM_HOSTS);
    // Playwright's workers (and the webServer's command) inherit the runner's environment.
    process.env[RUN_ENV] = run.dir;
  }
  startFronts(run);
  const files = {
    preload: join(run.dir, 'redirect.cjs'),
    serviceAccount: join(run.dir, 'service-account.json'),
    certificate: runCertificateFile(run),
    caBundle: join(run.dir, 'ca-bundle.pem'),
  };
  if (!existsSync(files.serviceAccount)) {
    writeFileSync(files.preload, redirectPreloadScript(run.fcmPort, run.certificate));
    writeFileSync(files.caBundle, `${run.certificate.trim()}\n${systemRoots().trim()}\n`);
    writeServiceAccount(files.serviceAccount);
  }
  const reportingEndpoint = (name = 'main'): string => `https://localhost:${run.collectorPort}/reports/${name}`;
  return {
    env: {
      [RUN_ENV]: run.dir,
      ...standInEnv(files, `http://127.0.0.1:${run.proxyPort}`),
      BACKGROUND_SERVICES_REPORTING_ENDPOINTS: ['main', 'default'].map((name) => `${name}="${reportingEndpoint(name)}"`).join(', '),
    },
    reportingEndpoint,
  };
}

/** The fronts live in the runner process, the one that loaded the config first (workers load it too). */
function startFronts(run: RunSetup): void {
  if (process.env.TEST_WORKER_INDEX !== undefined) return;
  const state = globalThis as typeof globalThis & { [FRONTS]?: string };
  if (state[FRONTS] === run.dir) return;
  state[FRONTS] = run.dir;
  FcmFront.listen(run);
  CollectorFront.listen(run);
  FcmProxy.start((host) => ((FCM_HOSTS as readonly string[]).includes(host) ? run.fcmPort : undefined), undefined, run.proxyPort).then(
    (proxy) => proxy.unref(),
    (error: Error) => console.warn(`backgroundServicesWebServer(): the HTTPS proxy cannot listen on 127.0.0.1:${run.proxyPort}: ${error.message}`),
  );
}
