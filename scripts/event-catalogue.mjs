#!/usr/bin/env node
// The "What Chromium logs" table of docs/events.md, made from EVENT_CATALOGUE (the same source as
// the filter types), and the check of recorded events against it. `--write` replaces the table in
// docs/events.md between its markers; tests/node/catalogue.test.mjs fails when they differ. Run
// `npm run build` first: the command line uses dist/.
//
//   node scripts/event-catalogue.mjs [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const BEGIN = '<!-- event-catalogue:begin (node scripts/event-catalogue.mjs --write) -->';
export const END = '<!-- event-catalogue:end -->';

const TITLES = {
  backgroundFetch: 'Background Fetch',
  backgroundSync: 'Background Sync',
  notifications: 'Notifications',
  paymentHandler: 'Payment Handler',
  periodicBackgroundSync: 'Periodic Background Sync',
  pushMessaging: 'Push Messaging',
};

const code = (text) => `\`${text}\``;

function formatValue(spec) {
  if (spec === 'text') return '';
  if (spec === 'number') return ': number';
  return `: ${spec.map(code).join(' \\| ')}`;
}

/** The markdown table: one row per event, in the catalogue's order. */
export function catalogueTable(catalogue, notes) {
  const rows = ['| Service (instanceId) | Event | Metadata | Seen | Note |', '| --- | --- | --- | --- | --- |'];
  for (const [service, events] of Object.entries(catalogue)) {
    let first = true;
    for (const [eventName, metadata] of Object.entries(events)) {
      const note = notes[service].events[eventName] ?? {};
      const keys = Object.entries(metadata).map(([key, spec]) => `${code(key)}${formatValue(spec)}`);
      rows.push(
        `| ${first ? `${TITLES[service]} (${notes[service].instanceId})` : ''} | ${code(eventName)} | ${keys.join('<br>')} | ${note.seen ? 'yes' : ''} | ${note.note ?? ''} |`,
      );
      first = false;
    }
  }
  return rows.join('\n');
}

/** A catalogue key as a RegExp: ` #<n>` is a numbered list, `Method Name` or `Method Name #0`. */
function keyPattern(key) {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(' #<n>', '(?: #\\d+)?');
  return new RegExp(`^${escaped}$`);
}

/**
 * What the catalogue does not know of these recorded events: an unknown event name, metadata
 * key, or value of a key with known values, one line each. Empty when it knows everything.
 */
export function catalogueGaps(catalogue, events) {
  const gaps = new Set();
  for (const event of events) {
    const where = `${event.service} ${JSON.stringify(event.eventName)}`;
    const spec = Object.hasOwn(catalogue[event.service] ?? {}, event.eventName) ? catalogue[event.service][event.eventName] : undefined;
    if (!spec) {
      gaps.add(`${where}: event not in the catalogue`);
      continue;
    }
    for (const { key, value } of event.eventMetadata) {
      const entry = Object.entries(spec).find(([candidate]) => keyPattern(candidate).test(key));
      if (!entry) gaps.add(`${where}: metadata key ${JSON.stringify(key)} not in the catalogue`);
      else if (entry[1] === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) gaps.add(`${where}: ${key} = ${JSON.stringify(value)} is not a number`);
      else if (Array.isArray(entry[1]) && !entry[1].includes(value)) gaps.add(`${where}: ${key} = ${JSON.stringify(value)} not in the catalogue's values`);
    }
  }
  return [...gaps];
}

/** The page that holds the table (relative to the repository root). */
export const PAGE = 'docs/events.md';

/** The page with its table replaced. */
export function withTable(page, table) {
  const from = page.indexOf(BEGIN);
  const to = page.indexOf(END);
  if (from < 0 || to < 0) throw new Error(`${PAGE} has no ${BEGIN} … ${END} markers`);
  return `${page.slice(0, from + BEGIN.length)}\n${table}\n${page.slice(to)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { EVENT_CATALOGUE } = await import('playwright-background-services');
  const { EVENT_CATALOGUE_NOTES } = await import('#internal');
  const table = catalogueTable(EVENT_CATALOGUE, EVENT_CATALOGUE_NOTES);
  if (process.argv.includes('--write')) writeFileSync(PAGE, withTable(readFileSync(PAGE, 'utf8'), table));
  else console.log(table);
}
