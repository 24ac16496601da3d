import type { WeirConfig } from '@weir/config';
import { ConfigFile } from './config-file';
import { Daemon, type DaemonOptions } from './daemon';

/** What {@link daemonPerTest} hands a test file. */
export interface DaemonPerTest {
  /** Write `config` to a fresh config file and start the daemon on it (stopped after the test). */
  start(config: WeirConfig, options?: Omit<DaemonOptions, 'configPath'>): Promise<Daemon>;
  /** The config file of the running test (after `start`). */
  readonly file: ConfigFile;
}

/**
 * One daemon and one config file per test, stopped and removed in `afterEach` (registered
 * here), so a test file needs neither the bookkeeping nor the cleanup of its own.
 */
export function daemonPerTest(): DaemonPerTest {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });
  return {
    async start(config, options = {}) {
      file = new ConfigFile(config);
      daemon = await Daemon.start({ ...options, configPath: file.path });
      return daemon;
    },
    get file(): ConfigFile {
      if (file === null) throw new Error('daemonPerTest: start() first');
      return file;
    },
  };
}
