import type { EVENT_CATALOGUE } from 'playwright-background-services';
import type { BackgroundServiceEvent, EVENT_CATALOGUE_NOTES } from '#internal';

export declare const BEGIN: string;
export declare const END: string;
/** The page that holds the table: docs/events.md. */
export declare const PAGE: string;
export declare function catalogueTable(catalogue: typeof EVENT_CATALOGUE, notes: typeof EVENT_CATALOGUE_NOTES): string;
export declare function catalogueGaps(catalogue: typeof EVENT_CATALOGUE, events: readonly BackgroundServiceEvent[]): string[];
export declare function withTable(page: string, table: string): string;
