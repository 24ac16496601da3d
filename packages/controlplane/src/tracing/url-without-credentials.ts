/**
 * A source URL as span attributes may show it: without user info and without the query string
 * (pre-signed and token URLs carry their secret there). Text that is not a URL (an S3 source's
 * `s3://bucket/key at https://endpoint` description) is returned as it is: it holds no secret.
 */
export function urlWithoutCredentials(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return text;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString();
}
