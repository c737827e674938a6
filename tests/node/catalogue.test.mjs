// The event catalogue's two other products: the table of docs/events.md, and the saved recordings of
// fixtures/ it must know (on the built package, like the rest of tests/node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE } from 'playwright-background-services';
import { EVENT_CATALOGUE_NOTES } from '#internal';
import { PAGE, catalogueGaps, catalogueTable, withTable } from '../../scripts/event-catalogue.mjs';

test('the "What Chromium logs" table of docs/events.md is the one the catalogue makes', () => {
  const page = readFileSync(PAGE, 'utf8');
  const expected = withTable(page, catalogueTable(EVENT_CATALOGUE, EVENT_CATALOGUE_NOTES));
  assert.equal(page, expected, `${PAGE} is out of date: run \`npm run build && node scripts/event-catalogue.mjs --write\``);
});

test('every event of the saved recordings is in the catalogue', () => {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.json')) files.push(join(dir, entry.name));
    }
  };
  walk('fixtures/recordings');
  assert.ok(files.length >= 3, `expected the saved recordings under fixtures/recordings, found ${files.length}`);
  const events = files.flatMap((file) => JSON.parse(readFileSync(file, 'utf8')));
  assert.deepEqual(catalogueGaps(EVENT_CATALOGUE, events), []);
});

test('the gap check names what the catalogue does not know', () => {
  const event = (eventName, eventMetadata) => ({ service: 'pushMessaging', eventName, eventMetadata });
  assert.deepEqual(
    catalogueGaps(EVENT_CATALOGUE, [
      event('Push event completed', [{ key: 'Status', value: 'Sucess' }]),
      event('Push event retried', []),
      event('Push event dispatched', [{ key: 'Attempt', value: '2' }]),
      {
        service: 'paymentHandler',
        eventName: 'Payment request',
        eventMetadata: [
          { key: 'Method Name #12', value: 'x' },
          { key: 'Modifier Total Value', value: '1' },
        ],
      },
      { service: 'backgroundFetch', eventName: 'Background Fetch registered', eventMetadata: [{ key: 'Total Requests', value: 'three' }] },
    ]),
    [
      'pushMessaging "Push event completed": Status = "Sucess" not in the catalogue\'s values',
      'pushMessaging "Push event retried": event not in the catalogue',
      'pushMessaging "Push event dispatched": metadata key "Attempt" not in the catalogue',
      'backgroundFetch "Background Fetch registered": Total Requests = "three" is not a number',
    ],
  );
});
