import { WeirError } from '@weir/errors';
import { BUNDLE_LIMITS, LABEL_KEY_PATTERN, PAYLOAD_FORMAT } from './bundle-format';
import { formatTimestamp, parseTimestamp } from './timestamp';

/** What a bundle says about itself, besides the config. Trusted only once its signatures verify. */
export interface BundleMetadata {
  /** Positive integer; a host takes only a revision newer than the one it runs. */
  readonly revision: number;
  /** When it was signed, as written in the payload (RFC 3339, UTC). */
  readonly createdAt: string;
  /** When it stops being valid, or null for never. */
  readonly expiresAt: string | null;
  /** Target labels (`env=prod`), sorted by key; empty when none. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A parsed payload: the metadata and the config value, not yet validated as a Weir config. */
export interface BundlePayload {
  readonly metadata: BundleMetadata;
  /** `createdAt` and `expiresAt` as epoch milliseconds. */
  readonly createdAtMs: number;
  readonly expiresAtMs: number | null;
  /** The config as parsed from the signed bytes (a JSON object). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a signer puts in a payload. Times are epoch milliseconds. */
export interface PayloadContents {
  /** The config, a JSON object; signers validate it first (weirctl does), this package does not. */
  readonly config: unknown;
  /** Integer from 1; must grow with every bundle a fleet is given. */
  readonly revision: number;
  /** When it is signed (the signer's clock). */
  readonly createdAt: number;
  /** When it stops being valid; must be after `createdAt`. Absent or null: never. */
  readonly expiresAt?: number | null;
  /** Target labels; written sorted by key, left out when empty. Default none. */
  readonly labels?: Readonly<Record<string, string>>;
}

const FIELDS = new Set(['format', 'revision', 'createdAt', 'expiresAt', 'labels', 'config']);

function malformed(message: string, pointer: string): WeirError {
  return new WeirError('WEIR_ERR_BUNDLE_MALFORMED', `payload ${pointer}: ${message}`, { pointer });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The checked payload of a parsed JSON value, or a thrown WEIR_ERR_BUNDLE_MALFORMED with a pointer. */
function checkPayload(value: unknown): BundlePayload {
  if (!isObject(value)) throw malformed('must be a JSON object', '/');
  for (const key of Object.keys(value)) if (!FIELDS.has(key)) throw malformed(`unknown field "${key}"`, `/${key}`);
  if (value['format'] !== PAYLOAD_FORMAT) throw malformed(`must be "${PAYLOAD_FORMAT}"`, '/format');
  const revision = value['revision'];
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1) throw malformed('must be an integer from 1 to 2^53-1', '/revision');
  const createdAt = value['createdAt'];
  const createdAtMs = typeof createdAt === 'string' ? parseTimestamp(createdAt) : null;
  if (typeof createdAt !== 'string' || createdAtMs === null) throw malformed('must be an RFC 3339 UTC timestamp such as 2026-12-06T17:00:00.000Z', '/createdAt');
  let expiresAt: string | null = null;
  let expiresAtMs: number | null = null;
  if (value['expiresAt'] !== undefined) {
    const raw = value['expiresAt'];
    expiresAtMs = typeof raw === 'string' ? parseTimestamp(raw) : null;
    if (typeof raw !== 'string' || expiresAtMs === null) throw malformed('must be an RFC 3339 UTC timestamp such as 2026-12-06T17:00:00.000Z', '/expiresAt');
    if (expiresAtMs <= createdAtMs) throw malformed('must be later than createdAt', '/expiresAt');
    expiresAt = raw;
  }
  const labels = checkLabels(value['labels']);
  const config = value['config'];
  if (!isObject(config)) throw malformed('must be a JSON object (a Weir config)', '/config');
  return { metadata: { revision, createdAt, expiresAt, labels }, createdAtMs, expiresAtMs, config };
}

function checkLabels(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (!isObject(value)) throw malformed('must be an object of strings', '/labels');
  const keys = Object.keys(value).sort();
  if (keys.length > BUNDLE_LIMITS.maxLabels) throw malformed(`has more than ${BUNDLE_LIMITS.maxLabels} labels`, '/labels');
  const labels: Record<string, string> = {};
  for (const key of keys) {
    const pointer = `/labels/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!LABEL_KEY_PATTERN.test(key)) throw malformed('label keys are 1-63 letters, digits, ".", "_", "/" or "-", starting with a letter or digit', pointer);
    const text = value[key];
    if (typeof text !== 'string' || text.length > BUNDLE_LIMITS.maxLabelValueLength) throw malformed(`must be a string of at most ${BUNDLE_LIMITS.maxLabelValueLength} characters`, pointer);
    labels[key] = text;
  }
  return labels;
}

/** The timestamp of `ms`, or null (which then fails the payload check) outside the Date range. */
function timestampOrNull(ms: number): string | null {
  return Number.isFinite(new Date(ms).getTime()) ? formatTimestamp(ms) : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parse payload bytes that have just been verified. Nothing is re-serialised: the value parsed is
 * the value of exactly these bytes (strict UTF-8, no byte-order mark, one JSON object of the
 * documented shape). Throws WEIR_ERR_BUNDLE_MALFORMED.
 */
export function parsePayload(bytes: Uint8Array): BundlePayload {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw malformed('is not valid UTF-8', '/');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw malformed(`is not JSON (${(err as Error).message})`, '/');
  }
  return checkPayload(value);
}

/**
 * The canonical payload bytes for `contents`: compact JSON, fields in the order format,
 * revision, createdAt, expiresAt (when set), labels (when any, sorted by key), config (as given),
 * UTF-8, no trailing newline. The same contents always give the same bytes, so a signature over
 * them is reproducible (the test vector relies on it). Throws WEIR_ERR_BUNDLE_MALFORMED when
 * the contents would not parse back.
 */
export function encodePayload(contents: PayloadContents): Buffer {
  const labels = contents.labels ?? {};
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) sorted[key] = labels[key] as string;
  const document: Record<string, unknown> = {
    format: PAYLOAD_FORMAT,
    revision: contents.revision,
    createdAt: timestampOrNull(contents.createdAt),
  };
  if (contents.expiresAt !== undefined && contents.expiresAt !== null) {
    document['expiresAt'] = timestampOrNull(contents.expiresAt);
  }
  if (Object.keys(sorted).length > 0) document['labels'] = sorted;
  document['config'] = contents.config;
  const bytes = Buffer.from(JSON.stringify(document), 'utf8');
  parsePayload(bytes);
  return bytes;
}
