import { invalidConfigError, loadTlsMaterial, validateConfig } from '@weir/config';
import { FileProvider } from '@weir/controlplane';
import { toErrorJSON } from '@weir/errors';
import { buildSpec } from '@weir/runtime';

/**
 * `weir --check`: load and validate the config exactly as the daemon would at start-up (the
 * certificate files it names included: readable, parseable, key matching, not expired), and
 * print the outcome for a human or a CI job. Returns the exit code: 0 valid, 1 not.
 *
 * Success goes to stdout (`OK <file>: version <id>`). Failure goes to stderr: `FAIL <file>: <code>`
 * then one problem per line, each with its JSON pointer, so a CI log points at the offending value.
 */
export async function runCheck(configPath: string | null, fallback: unknown): Promise<number> {
  const name = configPath ?? '(embedded default config)';
  try {
    const value = configPath === null ? fallback : await new FileProvider(configPath).load();
    const check = validateConfig(value);
    if (!check.ok) throw check.error;
    const loaded = loadTlsMaterial(check.config);
    if (loaded.problems.length > 0) throw invalidConfigError(loaded.problems);
    // Building catches the few facts validation leaves to the builder; it is cheap and pure.
    const spec = buildSpec(check.config, { tls: loaded.material });
    process.stdout.write(`OK ${name}: version ${spec.version}\n`);
    return 0;
  } catch (err) {
    const json = toErrorJSON(err);
    const lines = [`FAIL ${name}: ${json.code}`];
    if (json.details !== undefined && json.details.length > 0) {
      for (const detail of json.details) lines.push(`  ${detail.pointer === '' ? '/' : detail.pointer}: ${detail.message}`);
    } else {
      lines.push(`  ${json.pointer === undefined ? '' : `${json.pointer}: `}${json.message}`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
}
