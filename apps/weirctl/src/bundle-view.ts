import type { BundleMetadata } from '@weir/bundle';

/** The metadata as `inspect` and `verify` print it, one `name  value` line each. */
export function metadataLines(metadata: BundleMetadata): string[] {
  const labels = Object.entries(metadata.labels).map(([k, v]) => `${k}=${v}`);
  return [
    `revision    ${metadata.revision}`,
    `created     ${metadata.createdAt}`,
    `expires     ${metadata.expiresAt ?? 'never'}`,
    `labels      ${labels.length === 0 ? 'none' : labels.join(', ')}`,
  ];
}
