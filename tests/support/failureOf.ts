import { stripVTControlCharacters } from 'node:util';
import { expect } from '@playwright/test';

/** The text of an assertion's failure (colors removed); fails the test if it passed. */
export async function failureOf(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error, 'the assertion should have failed').toBeDefined();
  return stripVTControlCharacters(error!.message);
}
