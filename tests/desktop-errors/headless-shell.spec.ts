import { test } from 'playwright-background-services';

test('asks for desktop notifications on the headless shell', ({ page }) => {
  void page;
});
