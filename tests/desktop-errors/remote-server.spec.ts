import { test } from 'playwright-background-services';

test('asks for desktop notifications on a remote browser server', ({ context }) => {
  void context;
});
