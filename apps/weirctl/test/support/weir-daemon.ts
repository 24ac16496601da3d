import type { RouteConfig, UpstreamConfig, WeirConfig } from '@weir/config';
import { adminPort, testToken, type TestToken } from '../../../weir/test/harness/admin-client';
import { ConfigFile, proxyConfig } from '../../../weir/test/harness/config-file';
import { Daemon } from '../../../weir/test/harness/daemon';

export { testToken, type TestToken };

/** What goes into an end-to-end config. */
export interface WeirConfigParts {
  /** Tokens in `admin.tokens` (entries only: the tokens themselves stay with the test). */
  readonly tokens: readonly (TestToken | TestToken['entry'])[];
  /** Body of the default route `hello` (used when `routes` is not given). Default `one`. */
  readonly body?: string;
  /** Default: one route `hello` answering `body` directly. */
  readonly routes?: readonly RouteConfig[];
  readonly upstreams?: readonly UpstreamConfig[];
  /** Default 1 (enough for the CLI; the harness default is 2). */
  readonly workers?: number;
}

/**
 * A config as weirctl's end-to-end tests write it: the harness's proxy config (one listener on
 * port 0) plus the admin tokens. Two calls with the same parts give equal configs, so a test can
 * rebuild the running config and change one thing (a rollout candidate, say).
 */
export function weirConfig(parts: WeirConfigParts): WeirConfig {
  const routes = parts.routes ?? [{ name: 'hello', directResponse: { status: 200, body: parts.body ?? 'one' } }];
  const base = proxyConfig({ routes, workers: parts.workers ?? 1, ...(parts.upstreams === undefined ? {} : { upstreams: parts.upstreams }) });
  return { ...base, admin: { tokens: parts.tokens.map((t) => ('entry' in t ? t.entry : t)) } };
}

/** A running daemon for weirctl end-to-end tests, and the admin URL to pass with `--url`. */
export interface WeirUnderTest {
  readonly daemon: Daemon;
  /** The config file the daemon started with (its directory is free for further files). */
  readonly file: ConfigFile;
  /** `http://127.0.0.1:<admin port>`. */
  readonly url: string;
  /** Stop the daemon and remove the config directory. */
  stop(): Promise<void>;
}

/**
 * Start the built daemon (apps/weir/dist; `npx tsc -b` first) on `weirConfig(parts)`, its admin
 * API on a free port. Reusable by any weirctl end-to-end test, rollouts included:
 *
 *     const weir = await startWeir({ tokens: [roller], upstreams: [...], routes: [...] });
 *     await runCli(['rollout', 'start', candidateFile, '--wait'], { env: { WEIR_ADMIN_URL: weir.url, WEIR_TOKEN: roller.token } });
 */
export async function startWeir(parts: WeirConfigParts): Promise<WeirUnderTest> {
  const file = new ConfigFile(weirConfig(parts));
  let daemon: Daemon;
  try {
    daemon = await Daemon.start({ configPath: file.path });
  } catch (err) {
    file.remove();
    throw err;
  }
  return {
    daemon,
    file,
    url: `http://127.0.0.1:${adminPort(daemon)}`,
    stop: async () => {
      await daemon.stop();
      file.remove();
    },
  };
}
