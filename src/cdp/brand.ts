/**
 * Receiver checks that survive loading both builds: a config may `require()` the CommonJS build
 * while a spec `import`s the ESM one, and `instanceof` then fails across the two copies of a
 * class. A class carries `readonly [BRAND] = true` with
 * `BRAND = Symbol.for('playwright-background-services.<kind>')`: `Symbol.for` returns one symbol
 * per process, so either copy recognises the other's instances.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
