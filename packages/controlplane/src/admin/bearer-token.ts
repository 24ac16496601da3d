/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1; the scheme is
 * case-insensitive), or null when the header is absent or uses another scheme or form.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match === null ? null : (match[1] as string);
}
