import type { Page } from '@playwright/test';
import type { Cdp } from './cdp.js';
import type { ServiceWorkerRegistry } from './serviceWorkers.js';
import type { TriggerTarget } from './triggers.js';

export class ServiceWorkerConnectivity {
  constructor(
    private readonly page: Page,
    private readonly cdp: Cdp,
    private readonly registry: ServiceWorkerRegistry,
    private readonly defaultTimeout: () => number,
  ) {}

  async setOffline(offline: boolean, options: TriggerTarget): Promise<void> {
    void offline;
    void options;
    throw new Error('not implemented yet');
  }

  async dispose(): Promise<void> {}
}
