import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { test, expect, loadRecording, renderTimeline } from 'playwright-background-services';
import { attachmentText, runConfig } from '../support/nestedRun.js';

const run = promisify(execFile);
const pushExport = 'fixtures/recordings/push-bug/pushMessaging-20261121T060653.json';
const notificationsExport = 'fixtures/recordings/push-bug/notifications-20261121T060653.json';

test.describe('the HTML timeline', () => {
  test('lists events like DevTools, shows metadata on click, filters by service', async ({ page }, testInfo) => {
    const events = [...(await loadRecording(pushExport)).events, ...(await loadRecording(notificationsExport)).events];
    const html = renderTimeline({
      title: 'Push bug',
      events,
      scopes: { '0': 'http://localhost:46329/push/' },
      reports: [
        {
          url: 'https://example.test/',
          type: 'csp-violation',
          status: 'Success',
          destination: 'main',
          generatedAt: '2026-11-21T06:00:00.000Z',
          body: { effectiveDirective: 'script-src-elem' },
          history: [
            { status: 'Queued', at: '' },
            { status: 'Success', at: '' },
          ],
        },
      ],
    });
    const file = testInfo.outputPath('timeline.html');
    await writeFile(file, html);
    // Opened from disk with the network cut: it must need nothing from outside.
    await page.context().setOffline(true);
    await page.goto(`file://${file}`);

    await expect(page.getByRole('columnheader')).toHaveText([
      '#',
      'Timestamp',
      'Event',
      'Origin',
      'Storage Key',
      'Service Worker Scope',
      'Instance ID',
      'URL',
      'Type',
      'Status',
      'Destination',
      'Generated at',
      'Body',
    ]);
    const rows = page.locator('#events tbody tr');
    await expect(rows).toHaveCount(5);
    await expect(rows.nth(0).locator('td').nth(2)).toHaveText('Push event dispatched');
    await expect(rows.nth(0).locator('td').nth(5)).toHaveText('http://localhost:46329/push/');

    await rows.filter({ hasText: 'Push event completed' }).last().click();
    await expect(page.locator('#event-details')).toHaveText('StatuswaitUntil Rejected');
    await testInfo.attach('timeline', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    await page.getByLabel('Push Messaging').uncheck();
    await expect(rows).toHaveCount(1);
    await expect(rows.first().locator('td').nth(2)).toHaveText('Notification displayed');
    await rows.first().click();
    await expect(page.locator('#event-details dt')).toHaveText(['Title', 'Body']);

    await page.locator('#reports tbody tr').click();
    await expect(page.locator('#report-details')).toContainText('"effectiveDirective": "script-src-elem"');
    await expect(page.locator('#report-details')).toContainText('Status history: Queued → Success');
  });

  test('escapes what the page put into events', async ({ page }, testInfo) => {
    const [event] = (await loadRecording(pushExport)).events;
    const html = renderTimeline({ events: [{ ...event!, eventMetadata: [{ key: 'Payload', value: '</script><img src=x onerror=alert(1)>' }] }] });
    const file = testInfo.outputPath('timeline.html');
    await writeFile(file, html);
    await page.goto(`file://${file}`);
    await page.locator('#events tbody tr').click();
    await expect(page.locator('#event-details dd')).toHaveText('</script><img src=x onerror=alert(1)>');
    await expect(page.locator('img')).toHaveCount(0);
  });
});

test.describe('the time axis', () => {
  test('one lane per service, then reports, bfcache checks and steps; a mark shows its details', async ({ page }, testInfo) => {
    const events = [...(await loadRecording(pushExport)).events, ...(await loadRecording(notificationsExport)).events];
    const t0 = events[0]!.timestamp * 1000;
    const html = renderTimeline({
      title: 'Background services: a push bug',
      events,
      reports: [
        {
          url: 'http://localhost/page',
          type: 'csp-violation',
          status: 'Success',
          destination: 'default',
          generatedAt: new Date(t0 + 2).toISOString(),
          body: { blockedURL: 'http://evil.test/<script>' },
          history: [
            { status: 'Queued', at: new Date(t0 + 3).toISOString() },
            { status: 'Pending', at: new Date(t0 + 6).toISOString() },
            { status: 'Success', at: new Date(t0 + 9).toISOString() },
          ],
        },
      ],
      backForwardCache: [
        {
          url: 'http://localhost/bfcache/unload/',
          restored: false,
          reasons: [{ type: 'PageSupportNeeded', reason: 'UnloadHandlerExistsInMainFrame' }],
          startedAt: t0 + 10,
          endedAt: t0 + 14,
        },
      ],
      steps: [
        { title: 'triggerPush("Order shipped")', startedAt: t0 - 4, endedAt: t0 + 12 },
        {
          title: 'triggerPush("</script><img src=x onerror=alert(1)>")',
          startedAt: t0 + 13,
          endedAt: t0 + 15,
          error: 'Push event completed with "waitUntil Rejected"',
        },
      ],
    });
    const file = testInfo.outputPath('time-axis.html');
    await writeFile(file, html);
    await page.setViewportSize({ width: 1200, height: 560 });
    await page.goto(`file://${file}`);
    await expect(page.locator('#time-view')).toBeHidden();
    await page.getByRole('button', { name: 'Time axis' }).click();
    await expect(page.locator('#events')).toBeHidden();
    const lanes = page.locator('#time-view .lane');
    await expect(lanes.locator('.lane-label')).toHaveText(['Notifications', 'Push Messaging', 'Reporting API', 'Back/forward cache', 'Test steps']);
    const marks = (lane: string) => page.locator(`#time-view .lane[data-lane="${lane}"] .mark`);
    await expect(marks('pushMessaging')).toHaveCount(4);
    await expect(marks('notifications')).toHaveCount(1);
    // The header's service filter applies here too.
    await page.getByLabel('Notifications', { exact: true }).uncheck();
    await expect(lanes.locator('.lane-label')).toHaveText(['Push Messaging', 'Reporting API', 'Back/forward cache', 'Test steps']);
    await page.getByLabel('Notifications', { exact: true }).check();
    await expect(lanes).toHaveCount(5);
    await expect(marks('reports')).toHaveCount(3); // one per status change
    await expect(marks('bfcache')).toHaveCount(1);
    await expect(marks('steps')).toHaveCount(2);
    // Marks sit in time order along the axis.
    const xs = await marks('pushMessaging')
      .locator('circle')
      .evaluateAll((circles) => circles.map((c) => Number(c.getAttribute('cx'))));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(4);
    const stepBox = await marks('steps').first().locator('rect').boundingBox();
    const pushBox = await marks('pushMessaging').first().locator('circle').boundingBox();
    expect(stepBox!.x).toBeLessThan(pushBox!.x);
    expect(stepBox!.x + stepBox!.width).toBeGreaterThan(pushBox!.x + pushBox!.width);

    await marks('pushMessaging').nth(3).click();
    const details = page.locator('#time-details');
    await expect(details.locator('dt')).toHaveText(['Lane', 'Time', 'Event', 'Origin', 'Storage Key', 'Service Worker Scope', 'Status']);
    await expect(details.locator('dd').nth(2)).toHaveText('Push event completed');
    await expect(details.locator('dd').last()).toHaveText('waitUntil Rejected');
    await expect(marks('pushMessaging').nth(3)).toHaveClass(/selected/);
    await marks('reports').nth(1).hover();
    await expect(details.locator('dd').nth(2)).toHaveText('Pending (was Queued)');
    await marks('steps').nth(1).click();
    await expect(details.locator('dd').first()).toHaveText('Test steps');
    await expect(details.locator('dd').nth(1)).toHaveText('triggerPush("</script><img src=x onerror=alert(1)>")');
    await expect(details.locator('dd').last()).toHaveText('Push event completed with "waitUntil Rejected"');
    await expect(page.locator('img')).toHaveCount(0);
    await marks('pushMessaging').nth(0).click();
    await testInfo.attach('time-axis.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    // Back to the grid, unchanged.
    await page.getByRole('button', { name: 'Grid' }).click();
    await expect(page.locator('#events tbody tr')).toHaveCount(5);
  });

  test('a file loads nothing from the network', async ({ page }, testInfo) => {
    const file = testInfo.outputPath('offline.html');
    await writeFile(file, renderTimeline({ events: (await loadRecording(pushExport)).events }));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${file}`);
    await page.getByRole('button', { name: 'Time axis' }).click();
    await expect(page.locator('#time-view .mark')).toHaveCount(4);
    expect(requests).toEqual([`file://${file}`]);
  });
});

test.describe('the command-line tool', () => {
  test('view writes the timeline of saved exports', async ({ page }, testInfo) => {
    const out = testInfo.outputPath('view.html');
    const { stdout } = await run('node', ['dist/cli.js', 'view', pushExport, notificationsExport, '-o', out]);
    expect(stdout.trim()).toBe(`Wrote ${out} (5 events)`);
    await page.goto(`file://${out}`);
    await expect(page.locator('#events tbody tr')).toHaveCount(5);
    await expect(page.locator('h1')).toHaveText('Background services: pushMessaging-20261121T060653.json, notifications-20261121T060653.json');
  });

  test('spec writes a starting spec that suggests the triggers', async ({}, testInfo) => {
    const out = testInfo.outputPath('repro.spec.ts');
    await run('node', ['dist/cli.js', 'spec', pushExport, '-o', out]);
    const spec = await readFile(out, 'utf8');
    expect(spec).toContain(`const saved = '${pushExport}';`);
    expect(spec).toContain('async ({ page, recordBackgroundService, triggerPush }) => {');
    expect(spec).toContain("  await triggerPush('Order shipped');\n  await triggerPush('reject');\n");
    expect(spec).toContain('  await expect(recording).toMatchRecording(saved);');
  });

  test('bad input: a clear message and a non-zero exit', async () => {
    const failure = await run('node', ['dist/cli.js', 'view', 'no-such.json']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect((failure as { stderr: string }).stderr).toContain("Cannot read no-such.json: ENOENT: no such file or directory, open 'no-such.json'");
    const usage = await run('node', ['dist/cli.js', 'spec']).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect((usage as { stderr: string }).stderr).toMatch(/^spec needs an export file \(the JSON DevTools' "Save events" writes\)\.\n\nUsage:/);
  });
});

test.describe('toMatchRecording', () => {
  test('passes when the saved sequence happens again, other events between', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService(['pushMessaging']);
    await page.goto('/push/');
    await triggerPush('Order shipped');
    await triggerPush('something else');
    await triggerPush('reject');
    await expect(recording).toMatchRecording(pushExport);
  });

  test('fails naming the first saved event that did not happen', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService(['pushMessaging']);
    await page.goto('/push/');
    await triggerPush('Order shipped');
    await triggerPush('accept'); // the "fix": the handler no longer rejects
    const error = await expect(recording)
      .toMatchRecording(pushExport, { timeout: 300 })
      .catch((e: Error) => e);
    expect(stripVTControlCharacters((error as Error).message)).toMatch(
      new RegExp(
        `^expect\\(recording\\)\\.toMatchRecording\\("${pushExport.replace(/[.]/g, '\\.')}"\\) failed\\n\\nExpected: "${pushExport.replace(/[.]/g, '\\.')}"\\n` +
          `Received: 2 of 4 saved events happened in order; the next one did not:\\n  3\\.  \\d\\d:\\d\\d:\\d\\d\\.\\d{3}  pushMessaging  "Push event dispatched"  http://localhost:46329/  \\{ Payload: "reject" \\}\\nTimeout: 300ms\\n\\nRecorded events \\(4\\):\\n`,
      ),
    );
    await expect(recording).not.toMatchRecording(pushExport);
    await expect(recording).toMatchRecording(pushExport, { ignore: ['metadata'] });
  });

  test('rejects an unknown ignore entry', async () => {
    await expect(expect([]).toMatchRecording(pushExport, { ignore: ['timestamp' as never] })).rejects.toThrow(
      `expect(recording).toMatchRecording(): unknown ignore entry "timestamp". Use 'instanceId', 'metadata' or 'metadata.<key>'.`,
    );
  });
});

test.describe('attachments on failure', () => {
  test('a failing test carries the events, which load back exactly, and the timeline', async ({ baseURL, page }, testInfo) => {
    // A whole nested Playwright run, two browsers and a failing bfcache check: a minute alone,
    // more beside another worker on two cores.
    test.setTimeout(150_000);
    const result = await runConfig('tests/failing/playwright.config.ts', ['--reporter=json,list'], { DEMO_BASE_URL: baseURL });
    expect(result.code).toBe(1); // both specs fail on purpose
    const specs = result.report.suites[0]!.specs;
    const testResult = specs.find((spec) => spec.title === 'a push that should have succeeded')!.tests[0]!.results[0]!;
    expect(testResult.status).toBe('failed');
    const attachments = testResult.attachments;
    expect(attachments.map((a) => a.name)).toEqual(
      expect.arrayContaining(['background-services-pushMessaging.json', 'background-services-notifications.json', 'background-services.html']),
    );
    // The worker's lifecycle, as the Service Workers pane saw it.
    const workers = await attachmentText(attachments.find((a) => a.name === 'background-services-service-workers.txt')!);
    expect(workers).toMatch(
      /^Service worker versions \(1\):\n {2}#\d+ {2}http:\/\/localhost:\d+\/push\/ {2}\S+sw\.js {2}new\/stopped → .*installing\/running → .*activated\/running/,
    );
    // Files in the run's test-results/, so the list reporter prints their paths, not their content.
    const outputDir = join(result.dir, 'test-results') + sep;
    for (const attachment of attachments.filter((a) => a.name.startsWith('background-services'))) {
      expect(attachment.body, attachment.name).toBeUndefined();
      expect(attachment.path, attachment.name).toContain(outputDir);
      await access(attachment.path!);
    }
    const printed = stripVTControlCharacters(result.stdout);
    expect(printed).toContain('background-services.html (text/html)');
    expect(printed).not.toMatch(/<!doctype|<html/i);
    const pushJson = attachments.find((a) => a.name === 'background-services-pushMessaging.json')!;
    const text = await attachmentText(pushJson);
    const loaded = await loadRecording(text);
    expect(loaded.events.map((e) => [e.eventName, e.metadata.Payload ?? e.metadata.Status])).toEqual([
      ['Push event dispatched', 'Order shipped'],
      ['Push event completed', 'Success'],
      ['Push event dispatched', 'reject'],
      ['Push event completed', 'waitUntil Rejected'],
    ]);
    // Round trip: what loads back serializes to the very same text.
    expect(
      JSON.stringify(
        loaded.events.map(({ metadata, preexisting, ...event }) => event),
        undefined,
        2,
      ),
    ).toBe(text);
    const html = attachments.find((a) => a.name === 'background-services.html')!;
    expect(html.contentType).toBe('text/html');
    // The time axis shows the test's own steps, each from its start to its end, around its events.
    const timelineFile = testInfo.outputPath('attached-timeline.html');
    await writeFile(timelineFile, await attachmentText(html));
    await page.goto(`file://${timelineFile}`);
    await page.getByRole('button', { name: 'Time axis' }).click();
    const steps = page.locator('#time-view .lane[data-lane="steps"] .mark');
    await expect(steps).toHaveCount(3);
    const labels = await steps.evaluateAll((marks) => marks.map((mark) => mark.getAttribute('aria-label')!.replace(/ at .*$/, '')));
    expect(labels).toEqual(['recordBackgroundService(["pushMessaging","notifications"])', 'triggerPush("Order shipped")', 'triggerPush("reject")']);
    await expect(page.locator('#time-view .lane[data-lane="pushMessaging"] .mark')).toHaveCount(4);
    await steps.nth(2).click();
    await expect(page.locator('#time-details dd').nth(1)).toHaveText('triggerPush("reject")');

    const bfcacheResult = specs.find((spec) => spec.title === 'a page that should have been restored')!.tests[0]!.results[0]!;
    expect(bfcacheResult.status).toBe('failed');
    const bfcacheAttachments = bfcacheResult.attachments;
    const bfcacheJson = bfcacheAttachments.find((a) => a.name === 'background-services-bfcache.json')!;
    const checks = JSON.parse(await attachmentText(bfcacheJson)) as unknown[];
    expect(checks[0]).toMatchObject({
      restored: false,
      startedAt: expect.any(Number),
      endedAt: expect.any(Number),
      reasons: expect.arrayContaining([expect.objectContaining({ reason: 'UnloadHandlerExistsInMainFrame' })]),
    });
    const timeline = bfcacheAttachments.find((a) => a.name === 'background-services.html')!;
    const timelineHtml = await attachmentText(timeline);
    expect(timelineHtml).toContain('<h2>Back/forward cache</h2>');
    expect(timelineHtml).toContain('UnloadHandlerExistsInMainFrame (PageSupportNeeded)');
  });
});
