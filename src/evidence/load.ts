import { readFile } from 'node:fs/promises';
import { BackgroundServicesError } from '../cdp/errors.js';
import { parseSavedEvents, preview, type RecordedEvent } from '../background-services/events.js';
import type { RecordedEventSource } from '../background-services/recording.js';

/** Saved events, which the matchers take like a live recording. */
export interface SavedRecording extends RecordedEventSource {
  readonly events: readonly RecordedEvent[];
  /** The file path, or `'JSON'`. */
  readonly source: string;
}

/**
 * Reads DevTools' "Save events" JSON (a path, a string or a parsed array) for the matchers.
 * @example
 * const saved = await loadRecording('push.json');
 */
export async function loadRecording(pathOrJson: string | readonly unknown[]): Promise<SavedRecording> {
  if (Array.isArray(pathOrJson)) return { events: parseSavedEvents(pathOrJson, 'loadRecording()'), source: 'JSON' };
  if (typeof pathOrJson !== 'string' || pathOrJson.trim() === '') {
    throw new BackgroundServicesError(`loadRecording(): expected a file path, a JSON string or an array of events, got ${preview(pathOrJson, 60)}.`);
  }
  const trimmed = pathOrJson.trimStart();
  const isJson = trimmed.startsWith('[');
  let text = pathOrJson;
  if (!isJson) {
    try {
      text = await readFile(pathOrJson, 'utf8');
    } catch (error) {
      throw new BackgroundServicesError(`loadRecording(): cannot read ${JSON.stringify(pathOrJson)}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BackgroundServicesError(`loadRecording(): ${isJson ? 'the JSON string' : pathOrJson} is not valid JSON: ${(error as Error).message}`);
  }
  const source = isJson ? 'JSON' : pathOrJson;
  return { events: parseSavedEvents(parsed, `loadRecording(${isJson ? 'JSON' : JSON.stringify(pathOrJson)})`), source };
}
