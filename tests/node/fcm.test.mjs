// The FCM stand-in's redirect in a plain Node process: only Google's FCM hosts reach it; every
// other host (here loopback servers, and a Google host it does not answer) is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FCM_HOSTS, FcmServer, redirectPreloadScript } from '#internal';

test('fcm.env redirects the Google FCM hosts to the stand-in and nothing else', async () => {
  const server = await FcmServer.start();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'fcm-redirect-'));
    writeFileSync(join(dir, 'redirect.cjs'), redirectPreloadScript(server.port, server.certificate));
    // Asks tls.connect for each host with a lookup that records the name and connects nowhere.
    const probe = `
      const tls = require('node:tls');
      const hosts = ${JSON.stringify([...FCM_HOSTS, 'www.googleapis.com', 'firestore.googleapis.com', 'example.com', 'localhost'])};
      const seen = {};
      Promise.all(hosts.map((host) => new Promise((resolve) => {
        const socket = tls.connect({ host, port: 443, lookup: (name, options, callback) => { seen[host] = 'looked up ' + name; callback(new Error('no network in this test')); } });
        socket.on('secureConnect', () => { seen[host] = 'connected to ' + socket.remoteAddress + ':' + socket.remotePort + ' as ' + socket.servername; socket.end(); resolve(); });
        socket.on('error', () => resolve());
      }))).then(() => console.log(JSON.stringify(seen)));
    `;
    // Asynchronously: the stand-in answers from this process.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['--require', join(dir, 'redirect.cjs'), '-e', probe], { timeout: 20_000 });
    const seen = JSON.parse(out);
    for (const host of FCM_HOSTS) assert.equal(seen[host], `connected to 127.0.0.1:${server.port} as ${host}`, host);
    for (const host of ['www.googleapis.com', 'firestore.googleapis.com', 'example.com', 'localhost']) assert.equal(seen[host], `looked up ${host}`, host);
  } finally {
    await server.close();
  }
});
