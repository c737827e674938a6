import { defineConfig } from '@playwright/test';

// Run by tests/integration/sharding.spec.ts in two shards: one failing test per shard, so each
// shard's blob report carries the evidence attachments that the merge must keep.
export default defineConfig({
  testDir: '.',
  // Not the parent run's test-results (the default beside package.json).
  outputDir: './test-results',
  fullyParallel: true,
  workers: 1,
  use: { baseURL: process.env.DEMO_BASE_URL },
});
