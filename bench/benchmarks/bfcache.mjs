// 5. Back/forward cache: DevTools' "Test back/forward cache" as one call, against the same CDP
// steps written by hand.
//
// Per sample, on a page the cache can keep (/bfcache/plain/): page.goto() (not timed), then
// - ours: testBackForwardCache(page);
// - raw: a new CDP session, Page.enable, Page.getNavigationHistory, Page.navigate to
//   chrome://terms until its Page.frameNavigated, then Page.navigateToHistoryEntry until
//   Page.frameNavigated { type: 'BackForwardCacheRestore' } (or Page.backForwardCacheNotUsed),
//   then the session detached.
// A browser of its own with the cache on; one context per variant; samples interleaved A B B A.
// The capability probe that testBackForwardCache() consults runs once per browser, in warm-up.
import { chromium } from '@playwright/test';
import { testBackForwardCache } from 'playwright-background-services';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

async function rawTest(page) {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Page.enable');
    const { currentIndex, entries } = await session.send('Page.getNavigationHistory');
    const entry = entries[currentIndex];
    // Both the command's answer and the commit: before the answer, the old document is still
    // the session's page and a history navigation is refused ("Not attached to an active page").
    const committed = new Promise((resolve) => {
      const onNavigated = ({ frame }) => {
        if (!frame.parentId && frame.url !== entry.url) {
          session.off('Page.frameNavigated', onNavigated);
          resolve();
        }
      };
      session.on('Page.frameNavigated', onNavigated);
    });
    await Promise.all([session.send('Page.navigate', { url: 'chrome://terms' }), committed]);
    // Asked after the commit, as testBackForwardCache() does: the answer comes from the new document.
    const { frameTree } = await session.send('Page.getFrameTree');
    const mainFrameId = frameTree.frame.id;
    return await new Promise((resolve, reject) => {
      const done = (result) => {
        session.off('Page.frameNavigated', onNavigated);
        session.off('Page.backForwardCacheNotUsed', onNotUsed);
        resolve(result);
      };
      const onNavigated = ({ frame, type }) => {
        if (frame.id === mainFrameId && type === 'BackForwardCacheRestore') done({ restored: true });
      };
      const onNotUsed = ({ frameId, notRestoredExplanations }) => {
        if (frameId === mainFrameId) done({ restored: false, reasons: notRestoredExplanations });
      };
      session.on('Page.frameNavigated', onNavigated);
      session.on('Page.backForwardCacheNotUsed', onNotUsed);
      session.send('Page.navigateToHistoryEntry', { entryId: entry.id }).catch(reject);
    });
  } finally {
    await session.detach();
  }
}

export async function runBackForwardCache({ executablePath, demoUrl, samples = 30, log }) {
  const browser = await chromium.launch({ executablePath, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  try {
    const url = `${demoUrl}/bfcache/plain/`;
    const variants = {
      ours: { page: await (await browser.newContext()).newPage(), run: (page) => testBackForwardCache(page), times: [] },
      raw: { page: await (await browser.newContext()).newPage(), run: rawTest, times: [] },
    };
    const sample = async (name, record) => {
      const { page, run, times } = variants[name];
      await page.goto(url);
      const t = now();
      const result = await run(page);
      const elapsed = now() - t;
      if (!result.restored) throw new Error(`${name}: ${url} was not restored: ${JSON.stringify(result.reasons)}`);
      if (record) times.push(elapsed);
    };
    for (let i = 0; i < 5; i++) for (const name of ['ours', 'raw']) await sample(name, false);
    for (let i = 0; i < samples; i++) {
      const order = i % 2 ? ['ours', 'raw', 'raw', 'ours'] : ['raw', 'ours', 'ours', 'raw'];
      for (const name of order.slice(0, 2)) await sample(name, true);
    }
    const ours = summarize(variants.ours.times);
    const raw = summarize(variants.raw.times);
    // Each ours sample against the raw one beside it: resists a machine whose load drifts.
    const paired = summarize(variants.ours.times.map((t, i) => t / variants.raw.times[i]));
    log?.(
      `  testBackForwardCache ${ours.median.toFixed(1)} ms, raw CDP ${raw.median.toFixed(1)} ms (${samples} samples each); paired ratio ${paired.median.toFixed(3)}`,
    );
    return {
      id: 'bfcache-test',
      title: `testBackForwardCache() on a cacheable page (${samples} samples each, interleaved)`,
      unit: 'ms',
      ours: roundSummary(ours, 2),
      baseline: roundSummary(raw, 2),
      baselineLabel: 'the same CDP steps by hand (navigate away, navigateToHistoryEntry, wait for the restore)',
      ratio: ours.median / raw.median,
      goal: { ratio: 1.1, text: '≤ 1.1x' },
      details: { medianPairedRatio: paired.median },
    };
  } finally {
    await browser.close();
  }
}
