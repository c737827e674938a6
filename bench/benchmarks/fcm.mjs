// 9. FCM send → Push event completed: firebase-admin's send({ token }) through the FCM stand-in,
// against web-push's sendNotification straight to the push service, to the same service worker.
//
// One context on the demo's Firebase app (/fcm/, subscribed with a VAPID key of the run's own,
// `?vapidKey=`, so that web-push can sign for the very subscription FCM's token stands for). Both
// sides push the same FCM payload to the same subscription, so the worker runs the same code (the
// SDK hands it to the visible page's onMessage); only the way in differs:
//   fcm:      t0 → firebase-admin send({ token, data }) (HTTPS to the stand-in, in this process)
//             → the stand-in hands it to the push service → the browser's push event → t1
//   web-push: t0 → webpush.sendNotification(subscription, payload) (VAPID, aes128gcm, HTTPS to the
//             push service, which decrypts and checks VAPID) → the browser's push event → t1
// t1 is `expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' })`
// resolving; the recording is cleared before each sample, outside the timing. Interleaved A B B A.
import { Agent } from 'node:https';
import { expect } from 'expect';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import webpush from 'web-push';
import { createBackgroundServices } from 'playwright-background-services';
import { backgroundServiceMatchers } from 'playwright-background-services/matchers';
import { FcmServer, FcmStandIn, PushServiceServer, redirectFcmHosts } from '#internal';
import { now, roundSummary, summarize, percentile } from '../lib/stats.mjs';

expect.extend(backgroundServiceMatchers);

export async function runFcm({ browser, demoUrl, samples = 100, warmup = 10, log }) {
  const pushServer = await PushServiceServer.start();
  const fcmServer = await FcmServer.start();
  redirectFcmHosts(fcmServer.port, fcmServer.certificate);
  const context = await browser.newContext();
  const vapid = webpush.generateVAPIDKeys();
  let app;
  let standIn;
  let services;
  try {
    const page = await context.newPage();
    services = await createBackgroundServices(page, { timeout: 10_000 });
    const recording = await services.record(['pushMessaging']);
    const pushService = pushServer.createService({ deliverTo: services });
    await pushService.install(context);
    standIn = new FcmStandIn(fcmServer, pushService);
    await standIn.install(context);

    await page.goto(`${demoUrl}/fcm/?vapidKey=${vapid.publicKey}`);
    await page.locator('html[data-sw-state="activated"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page
      .locator('#token')
      .filter({ hasText: /:APA91b/ })
      .waitFor({ timeout: 10_000 });
    const [{ token, subscription }] = standIn.tokens;

    app = initializeApp({ projectId: 'demo-project', ...standIn.adminOptions }, `bench-fcm-${Date.now()}`);
    const messaging = getMessaging(app);
    const agent = new Agent({ ca: pushServer.certificate, keepAlive: true });
    let n = 0;
    const payloadOf = (i) => {
      // What the stand-in delivers for send({ token, data: { n } }), made once: the worker gets the same JSON.
      const sent = standIn.messages.find((m) => m.data?.n === '0');
      return JSON.stringify({ ...sent.payload, data: { n: String(i) }, fcmMessageId: `web-push-${i}` });
    };
    const sides = {
      fcm: () => messaging.send({ token, data: { n: String(n++) } }),
      webpush: () =>
        webpush.sendNotification(subscription, payloadOf(n++), {
          vapidDetails: { subject: 'mailto:bench@example.com', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          agent,
        }),
    };
    // The first FCM send fixes the payload that web-push repeats.
    await recording.clear();
    await sides.fcm();
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' });

    const sendResolved = { fcm: [], webpush: [] };
    const sample = async (name) => {
      await recording.clear();
      const t0 = now();
      await sides[name]();
      sendResolved[name].push(now() - t0);
      await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
      return now() - t0;
    };
    for (let i = 0; i < warmup; i++) for (const name of ['fcm', 'webpush']) await sample(name);
    const times = { fcm: [], webpush: [] };
    sendResolved.fcm.length = sendResolved.webpush.length = 0;
    for (let i = 0; i < samples; i++) {
      const order = i % 2 ? ['webpush', 'fcm'] : ['fcm', 'webpush'];
      if (Math.floor(i / 2) % 2) order.reverse(); // A B B A A B B A …
      for (const name of order) times[name].push(await sample(name));
    }
    agent.destroy();
    const a = summarize(times.fcm);
    const b = summarize(times.webpush);
    const p95 = { fcm: percentile(times.fcm, 95), webpush: percentile(times.webpush, 95) };
    const delivered = standIn.messages.filter((m) => m.state === 'delivered').length;
    log?.(
      `  ${samples} samples each: FCM median ${a.median.toFixed(2)} ms (p95 ${p95.fcm.toFixed(1)}), ` +
        `web-push median ${b.median.toFixed(2)} ms (p95 ${p95.webpush.toFixed(1)}); ${delivered} FCM sends delivered`,
    );
    return {
      id: 'fcm-send-latency',
      title: `FCM send → Push event completed (firebase-admin send({ token }) through the stand-in, ${samples} samples each, interleaved)`,
      unit: 'ms',
      ours: { ...roundSummary(a, 3), p95: Math.round(p95.fcm * 1000) / 1000 },
      baseline: { ...roundSummary(b, 3), p95: Math.round(p95.webpush * 1000) / 1000 },
      oursLabel: `p95 ${p95.fcm.toFixed(1)} ms`,
      baselineLabel: `p95 ${p95.webpush.toFixed(1)} ms — web-push sendNotification to the push service alone, same subscription and payload`,
      ratio: a.median / b.median,
      goal: { op: '<=', ratio: 1.2, text: '≤ 1.2x' },
      details: {
        ratioOfP95: p95.fcm / p95.webpush,
        medianPairedRatio: summarize(times.fcm.map((t, i) => t / times.webpush[i])).median,
        // Until send() / sendNotification() resolved: the part each way in costs before the worker's event.
        sendResolved: { fcm: roundSummary(summarize(sendResolved.fcm), 3), webpush: roundSummary(summarize(sendResolved.webpush), 3) },
        samples: times,
      },
    };
  } finally {
    if (app) await deleteApp(app);
    standIn?.close();
    await services?.dispose();
    await context.close();
    await fcmServer.close();
    await pushServer.close();
  }
}
