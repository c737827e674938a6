// Playwright sharding with the fixtures: `--shard=1/2` and `--shard=2/2` together run every test
// of tests/sharded/ exactly once, and their blob reports merge with the evidence attachments of
// the failing tests intact (each shard has one).
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, loadRecording } from 'playwright-background-services';
import { allSpecs, attachmentText, runConfig, runPlaywright, type JsonReport } from '../support/nestedRun.js';

const config = 'tests/sharded/playwright.config.ts';

function titles(report: JsonReport): string[] {
  return report.suites.flatMap(allSpecs).flatMap((spec) => spec.tests.filter((t) => t.results.length > 0).map(() => `${spec.file} › ${spec.title}`));
}

test('two shards run every test once, and their blob reports merge with the attachments', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const env = { DEMO_BASE_URL: baseURL };

  const listed = await runConfig(config, ['--list'], env);
  const all = listed.report.suites.flatMap(allSpecs).map((spec) => `${spec.file} › ${spec.title}`);
  expect(all).toHaveLength(6);

  const shards = [];
  for (const shard of ['1/2', '2/2']) {
    // blob for the merge, json to see what this shard ran
    const blobs = test.info().outputPath(`blob-report-${shard.replace('/', '-of-')}`);
    const run = await runConfig(config, [`--shard=${shard}`, '--reporter=blob,json'], { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: blobs });
    expect(run.code, `shard ${shard}: one test fails on purpose\n${run.stderr}`).toBe(1);
    shards.push({ ran: titles(run.report), blobs });
  }
  const [first, second] = shards as [(typeof shards)[0], (typeof shards)[0]];
  expect(first.ran.length).toBeGreaterThan(0);
  expect(second.ran.length).toBeGreaterThan(0);
  expect(first.ran.filter((title) => second.ran.includes(title))).toEqual([]);
  expect([...first.ran, ...second.ran].sort()).toEqual([...all].sort());

  // Both shards' blobs in one folder, as CI collects them, then merged into one report.
  const collected = test.info().outputPath('all-blob-reports');
  await mkdir(collected, { recursive: true });
  for (const shard of shards) {
    for (const file of await readdir(shard.blobs)) await cp(join(shard.blobs, file), join(collected, file));
  }
  expect(await readdir(collected)).toHaveLength(2);
  const mergedFile = test.info().outputPath('merged.json');
  const merge = await runPlaywright(['merge-reports', '--reporter=json', '-c', config, collected], { PLAYWRIGHT_JSON_OUTPUT_NAME: mergedFile });
  expect(merge.code, merge.stderr).toBe(0);
  const merged = JSON.parse(await readFile(mergedFile, 'utf8')) as JsonReport;
  expect(titles(merged).sort()).toEqual([...all].sort());
  expect(merged.stats).toMatchObject({ expected: 4, unexpected: 2, flaky: 0 });

  const specs = merged.suites.flatMap(allSpecs);
  const failed = (title: string) => specs.find((spec) => spec.title === title)!.tests[0]!.results[0]!;

  const push = failed('first: a push that should have succeeded');
  expect(push.status).toBe('failed');
  const pushJson = push.attachments.find((a) => a.name === 'background-services-pushMessaging.json');
  expect(pushJson, `attachments: ${push.attachments.map((a) => a.name).join(', ')}`).toBeDefined();
  const pushEvents = (await loadRecording(await attachmentText(pushJson!))).events;
  expect(pushEvents).toContainEqual(
    expect.objectContaining({ eventName: 'Push event completed', metadata: expect.objectContaining({ Status: 'waitUntil Rejected' }) }),
  );
  expect(await attachmentText(push.attachments.find((a) => a.name === 'background-services.html')!)).toContain('Push event completed');

  const notification = failed('second: a push that should have been shown');
  expect(notification.status).toBe('failed');
  const notificationsJson = notification.attachments.find((a) => a.name === 'background-services-notifications.json')!;
  const shown = (await loadRecording(await attachmentText(notificationsJson))).events;
  expect(shown).toContainEqual(expect.objectContaining({ eventName: 'Notification displayed', metadata: expect.objectContaining({ Title: 'second shard' }) }));
});
