import { test } from 'playwright-background-services';

test('uses the desktop fixture without the option', ({ desktop }) => {
  void desktop;
});
