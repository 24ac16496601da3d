import type { WeirConfig } from '@weir/config';

/** Body of the embedded default's only route. */
export const WELCOME_TEXT = [
  'Weir is running.',
  '',
  'This is the embedded default config: one listener on 127.0.0.1:8080 answering every request',
  'with this page. To proxy real traffic, start Weir with a config file:',
  '',
  '    weir --config FILE',
  '',
  'Example configs are in deploy/examples/; run `weir --help` for every option.',
  '',
].join('\n');

/**
 * The config served when `weir` starts without `--config` (what `npm start` runs): it proves
 * the whole path works (primary, workers, two-phase apply, a listener, the router, a direct
 * response) and tells the operator what to do next. Loopback only, so starting Weir on a fresh
 * machine exposes nothing.
 */
export const DEFAULT_CONFIG: WeirConfig = {
  workers: 'auto',
  listeners: [{ name: 'default', address: '127.0.0.1', port: 8080 }],
  routes: [
    {
      name: 'welcome',
      directResponse: { status: 200, body: WELCOME_TEXT, headers: { 'content-type': 'text/plain; charset=utf-8' } },
    },
  ],
};
