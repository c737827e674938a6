// The service worker registry's error for a failed install, fed the CDP events Chromium sent for
// /faults/install-fails/?worker=rejects (recorded from Chromium 150). Chromium sends its verdict
// and the script's exception through different pipes, so their order varies (measured: 1 run in
// 25); the integration test cannot choose the order, this one plays both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceWorkerRegistry } from '#internal';

const scope = 'http://localhost:43210/faults/install-fails/';
const version = (runningStatus, status) => ({
  versions: [{ versionId: '0', registrationId: '0', scriptURL: `${scope}sw-rejects.js`, runningStatus, status, controlledClients: [] }],
});
const verdict = {
  errorMessage: {
    errorMessage: `Failed to register a ServiceWorker for scope ('${scope}') with script ('${scope}sw-rejects.js'): ServiceWorker failed to install: ServiceWorker failed to handle event (event.waitUntil Promise rejected)`,
    registrationId: '0',
    versionId: '0',
    sourceURL: '',
    lineNumber: -1,
    columnNumber: -1,
  },
};
const exception = {
  errorMessage: {
    errorMessage: 'Uncaught (in promise) Error: install rejected on purpose',
    registrationId: '0',
    versionId: '0',
    sourceURL: `${scope}sw-rejects.js`,
    lineNumber: 3,
    columnNumber: -1,
  },
};

/** The error findActive() rejects with once the events are played in the order given. */
async function failedInstall(errors) {
  const listeners = new Map();
  const emit = (event, payload) => listeners.get(event)?.(payload);
  const session = {
    cdp: {
      on: (event, listener) => (listeners.set(event, listener), () => listeners.delete(event)),
      send: () => Promise.resolve({}),
    },
    onAbort: () => () => {},
  };
  const registry = new ServiceWorkerRegistry(session);
  const found = registry.findActive({ timeout: 10_000, pageUrl: scope, call: 'triggerPush("hello")' });
  emit('ServiceWorker.workerRegistrationUpdated', { registrations: [{ registrationId: '0', scopeURL: scope, isDeleted: false }] });
  emit('ServiceWorker.workerVersionUpdated', version('starting', 'installing'));
  emit('ServiceWorker.workerVersionUpdated', version('running', 'installing'));
  emit('ServiceWorker.workerErrorReported', errors[0]);
  emit('ServiceWorker.workerVersionUpdated', version('running', 'redundant'));
  emit('ServiceWorker.workerErrorReported', errors[1]);
  return found.then(
    () => assert.fail('findActive() resolved for a worker that failed to install'),
    (error) => error,
  );
}

test('a failed install reads the same whichever of Chromium’s two reports comes first: its verdict, then the script’s error', async () => {
  const expected =
    `triggerPush("hello"): the service worker ${scope}sw-rejects.js failed to install (registration 0, scope ${scope}), so it never became active. ` +
    'Chromium reported: ServiceWorker failed to install: ServiceWorker failed to handle event (event.waitUntil Promise rejected); ' +
    `Uncaught (in promise) Error: install rejected on purpose at ${scope}sw-rejects.js:3. ` +
    'Fix the script: its top-level code and its install handler (event.waitUntil) must not throw or reject.';
  const [inOrder, reversed] = await Promise.all([failedInstall([verdict, exception]), failedInstall([exception, verdict])]);
  assert.equal(inOrder.name, 'BackgroundServicesError');
  assert.equal(inOrder.message, expected);
  assert.equal(reversed.message, expected);
});
