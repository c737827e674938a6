// Benchmark service worker: shows many notifications, each logged by Chromium as a
// "Notification displayed" event of the notifications background service.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function burst({ count, batch, prefix }, port) {
  const started = Date.now();
  for (let from = 0; from < count; from += batch) {
    const shown = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      // One tag for all: each replaces the previous, so the browser does not hold 10,000 at once.
      shown.push(self.registration.showNotification(`${prefix} ${i}`, { body: `event ${i} of ${count}`, tag: 'bench' }));
    }
    await Promise.all(shown);
  }
  port.postMessage({ count, ms: Date.now() - started });
}

self.addEventListener('message', (event) => {
  if (event.data?.type === 'burst') event.waitUntil(burst(event.data, event.ports[0]));
});
