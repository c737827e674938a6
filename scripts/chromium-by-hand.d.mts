import type { Browser } from '@playwright/test';

/** Starts `executable` on a fresh profile and connects to it with `chromium.connectOverCDP()`. */
export declare function startChromiumByHand(executable: string): Promise<{ browser: Browser; close: () => Promise<void> }>;
