import { createHash } from 'node:crypto';
import type { ConfigFileMark, ConfigSource } from '../apply/index';

/** First field of every version file: the layout below, so a later Weir can read older files. */
export const VERSION_FILE_FORMAT = 'weir-state-version/1';

/** Everything about a stored version except its config. */
export interface VersionMeta {
  /** History id: a decimal sequence number, increasing with each commit, never reused. */
  readonly id: string;
  /** The spec's version id (`v-<12 hex>` unless named), as served by the workers. */
  readonly version: string;
  /** The spec's content hash (sha256 hex). */
  readonly hash: string;
  readonly source: ConfigSource;
  /** Admin token name that applied it; null for files, defaults and bundles. */
  readonly principal: string | null;
  /** Commit time, ISO 8601. */
  readonly committedAt: string;
  /**
   * The config file most recently applied as of this version (this version's own file for a
   * `file` apply, else carried over from the previous version); null if none ever was.
   */
  readonly file: ConfigFileMark | null;
}

/** Why a version file was not usable. */
export type VersionFileFault = 'truncated' | 'checksum' | 'malformed';

/** Result of {@link decodeVersionFile}. */
export type DecodedVersionFile =
  | { readonly ok: true; readonly meta: VersionMeta; readonly configText: string }
  | { readonly ok: false; readonly fault: VersionFileFault; readonly message: string };

const NEWLINE = 0x0a;
const SOURCES: ReadonlySet<string> = new Set<ConfigSource>(['default', 'file', 'admin', 'rollback', 'bundle', 'state', 'rollout']);

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A version file: three lines, each written by JSON.stringify (which never writes a raw
 * newline), so the layout needs no escaping:
 *
 *     {"format":"weir-state-version/1","id":"17","version":"v-…","hash":"…",…}   <- meta
 *     {"listeners":[…],"routes":[…],…}                                           <- the config
 *     9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08           <- checksum
 *
 * The checksum is the sha256 of the first two lines' exact bytes, newlines included, so a
 * truncated file (a missing or short last line) or a changed byte is detected without
 * re-serialising anything. `sed -n 2p FILE | jq .` shows the config.
 *
 * @param configText the config as JSON text (`JSON.stringify(config)`)
 */
export function encodeVersionFile(meta: VersionMeta, configText: string): string {
  const head = JSON.stringify({ format: VERSION_FILE_FORMAT, ...meta }) + '\n' + configText + '\n';
  return head + sha256(head) + '\n';
}

/** Check and split a version file's bytes. Never throws. */
export function decodeVersionFile(bytes: Uint8Array): DecodedVersionFile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = buffer.indexOf(NEWLINE);
  const second = first < 0 ? -1 : buffer.indexOf(NEWLINE, first + 1);
  const third = second < 0 ? -1 : buffer.indexOf(NEWLINE, second + 1);
  if (third < 0 || third !== buffer.length - 1) {
    return { ok: false, fault: 'truncated', message: `expected 3 lines, the file has ${buffer.length} bytes and does not end after its checksum line` };
  }
  const expected = buffer.subarray(second + 1, third).toString('latin1');
  if (sha256(buffer.subarray(0, second + 1)) !== expected) {
    return { ok: false, fault: 'checksum', message: 'the sha256 of the meta and config lines does not match the checksum line' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(buffer.subarray(0, first).toString('utf8'));
  } catch (err) {
    return { ok: false, fault: 'malformed', message: `the meta line is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const meta = readMeta(raw);
  if (typeof meta === 'string') return { ok: false, fault: 'malformed', message: meta };
  return { ok: true, meta, configText: buffer.subarray(first + 1, second).toString('utf8') };
}

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The meta line's fields, checked; a string says what is wrong. */
function readMeta(raw: unknown): VersionMeta | string {
  if (!isRecord(raw)) return 'the meta line is not an object';
  if (raw['format'] !== VERSION_FILE_FORMAT) return `unknown format ${JSON.stringify(raw['format'])}`;
  const { id, version, hash, source, principal, committedAt, file } = raw;
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,15}$/.test(id)) return 'bad id';
  if (typeof version !== 'string' || typeof hash !== 'string' || typeof committedAt !== 'string') return 'missing version, hash or committedAt';
  if (typeof source !== 'string' || !SOURCES.has(source)) return `unknown source ${JSON.stringify(source)}`;
  if (principal !== null && typeof principal !== 'string') return 'bad principal';
  let mark: ConfigFileMark | null = null;
  if (file !== null) {
    if (!isRecord(file) || typeof file['path'] !== 'string' || typeof file['hash'] !== 'string') return 'bad file mark';
    mark = { path: file['path'], hash: file['hash'] };
  }
  return { id, version, hash, source: source as ConfigSource, principal, committedAt, file: mark };
}
