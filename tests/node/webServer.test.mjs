// backgroundServicesWebServer() as a webServer backend meets it, before any worker exists: the
// files are written, the run's FCM front answers OAuth and FCM's errors, and a backend process
// with the env reaches the front for FCM's hosts only. The round trip through a worker's stand-in
// is examples/web-server/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { backgroundServicesWebServer } from 'playwright-background-services/config';

const services = backgroundServicesWebServer();
const { env } = services;

/** Runs `script` in a Node process with the backend's environment; prints what it logs. */
async function backend(script) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env } });
  return JSON.parse(stdout);
}

test('the env names files that exist before the backend starts, and a certificate for the local servers and FCM hosts', () => {
  for (const name of ['NODE_EXTRA_CA_CERTS', 'GOOGLE_APPLICATION_CREDENTIALS']) assert.ok(existsSync(env[name]), `${name}=${env[name]}`);
  assert.match(env.NODE_OPTIONS, /--require \S+redirect\.cjs$/);
  const certificate = new X509Certificate(readFileSync(env.NODE_EXTRA_CA_CERTS));
  for (const name of ['IP Address:127.0.0.1', 'DNS:localhost', 'DNS:fcm.googleapis.com', 'DNS:oauth2.googleapis.com', 'DNS:iid.googleapis.com']) {
    assert.ok(certificate.subjectAltName.includes(name), `${name} in ${certificate.subjectAltName}`);
  }
  const port = new URL(services.reportingEndpoint()).port;
  assert.equal(
    env.BACKGROUND_SERVICES_REPORTING_ENDPOINTS,
    `main="https://localhost:${port}/reports/main", default="https://localhost:${port}/reports/default"`,
  );
});

test("a backend with the env: firebase-admin's OAuth exchange is answered; with no test running, a send is refused by name", async () => {
  const result = await backend(`
    import { applicationDefault, initializeApp } from 'firebase-admin/app';
    import { getMessaging } from 'firebase-admin/messaging';
    const app = initializeApp({ credential: applicationDefault(), projectId: 'demo-project' });
    const token = await app.options.credential.getAccessToken();
    const sent = await getMessaging(app).send({ topic: 'news', data: { a: 'b' } }).catch((e) => ({ code: e.code, message: e.message }));
    const unknown = await getMessaging(app).send({ token: 'fid:APA91bnoroute' + 'x'.repeat(40), data: { a: 'b' } }).catch((e) => e.code);
    console.log(JSON.stringify({ token: token.access_token, sent, unknown }));
    process.exit(0);`);
  assert.match(result.token, /^ya29\.pwbs-/);
  assert.deepEqual(result.sent, {
    code: 'messaging/server-unavailable',
    message: 'No test is running: the FCM stand-in answers while a test that uses the fcm fixture runs.',
  });
  assert.equal(result.unknown, 'messaging/registration-token-not-registered');
});

test('the run’s report endpoint answers 503 while no test runs', async () => {
  const status = await backend(`
    import https from 'node:https';
    const answer = await new Promise((resolve, reject) => https.request(${JSON.stringify(services.reportingEndpoint())}, { method: 'POST' }, (r) => { r.resume(); resolve(r.statusCode); }).on('error', reject).end('[]'));
    console.log(JSON.stringify(answer));`);
  assert.equal(status, 503);
});

test('a backend in another language: curl through the run’s HTTPS proxy reaches the FCM front under Google’s name', async () => {
  const { stdout, stderr } = await promisify(execFile)('curl', ['-sS', '-v', '--data', 'grant_type=password', 'https://oauth2.googleapis.com/token'], {
    env: { ...process.env, ...env },
  });
  assert.deepEqual(JSON.parse(stdout), { error: 'invalid_grant', error_description: 'Expected a service account JWT assertion (grant_type jwt-bearer).' });
  assert.match(stderr, /CONNECT oauth2\.googleapis\.com:443/);
  assert.match(stderr, /SSL certificate verify ok/);
});
