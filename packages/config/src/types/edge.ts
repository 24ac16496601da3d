/**
 * Edge settings of the Weir config (issue 8): certificates, TLS and HTTP/2 on listeners, HTTPS
 * redirects, upgrade (WebSocket) tunnels on routes, TLS to upstreams.
 */

/**
 * A certificate and its private key, named so listeners can refer to it and metrics can label
 * it. The files are read when a config is validated and built: the PEM text becomes part of the
 * snapshot, so a renewed certificate is served after the next apply (or SIGHUP of the file
 * provider) and never half-way through one.
 */
export interface CertificateConfig {
  /** Unique name, referenced by listeners' `tls.certificates`. */
  readonly name: string;
  /** PEM file: the leaf certificate first, then its intermediates (certbot's `fullchain.pem`). */
  readonly certFile: string;
  /** PEM file with the leaf's private key (certbot's `privkey.pem`); must match the leaf. */
  readonly keyFile: string;
  /**
   * Server names (SNI) this certificate answers for: exact names and `*.` wildcards (one label).
   * Default: the leaf's DNS subjectAltNames (its common name when it has none).
   */
  readonly serverNames?: readonly string[];
}

/** TLS on a listener: the certificates it serves by SNI, protocol versions, ALPN, mTLS. */
export interface ListenerTlsConfig {
  /** Names from the top-level `certificates`, at least one. */
  readonly certificates: readonly string[];
  /**
   * The certificate for clients that send no SNI or a name no certificate matches. Default: the
   * first of `certificates`.
   */
  readonly defaultCertificate?: string;
  /** Oldest protocol version accepted. Default `"TLSv1.2"`. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Newest protocol version offered. Default `"TLSv1.3"`. */
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * OpenSSL cipher list, colon-separated: TLS 1.3 suites (`TLS_*`) and TLS 1.2 ciphers (Node
   * splits them). Checked with OpenSSL at validation. Default: the three TLS 1.3 suites, then
   * Mozilla's "intermediate" TLS 1.2 list (ECDHE + AEAD):
   * Default `"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"`.
   */
  readonly ciphers?: string;
  /** Colon-separated ECDH groups, checked with OpenSSL at validation. Default `"X25519:P-256:P-384"`. */
  readonly ecdhCurves?: string;
  /** Protocols offered by ALPN, in preference order. Default `["h2","http/1.1"]`. */
  readonly alpn?: readonly ('h2' | 'http/1.1')[];
  /** Client certificate verification (mTLS). Default: none asked for. */
  readonly clientAuth?: ClientAuthConfig;
  /** Time allowed for the TLS handshake. Default `10000`. */
  readonly handshakeTimeoutMs?: number;
}

/** Client certificates verified against a CA bundle. */
export interface ClientAuthConfig {
  /** PEM file with the CA certificates that may issue client certificates. */
  readonly caFile: string;
  /**
   * true: a handshake without a valid client certificate fails. false: a certificate is asked
   * for but not required. Default `true`.
   */
  readonly required?: boolean;
}

/** HTTP/2 limits of a listener that speaks h2 (TLS with `h2` in ALPN, or `protocol: "h2c"`). */
export interface Http2Config {
  /** Streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). Default `100`. */
  readonly maxConcurrentStreams?: number;
  /** Initial flow-control window per stream, in bytes (SETTINGS_INITIAL_WINDOW_SIZE). Default `65535`. */
  readonly initialWindowBytes?: number;
  /**
   * Rapid-reset protection (CVE-2023-44487): a connection whose client resets more than
   * `maxResets` streams within `resetWindowMs` is sent GOAWAY (ENHANCE_YOUR_CALM) and closed.
   * Default `200`.
   */
  readonly maxResets?: number;
  /** The window over which `maxResets` is counted. Default `10000`. */
  readonly resetWindowMs?: number;
}

/** A redirect of plain-HTTP requests to HTTPS. */
export interface HttpsRedirectConfig {
  /** Port of the HTTPS location; 443 is left out of the URL. Default `443`. */
  readonly port?: number;
  /** 301, 302, 307 or 308. Default `308` (keeps the method and body). */
  readonly status?: 301 | 302 | 307 | 308;
}

/** Upgrade requests (RFC 9110 section 7.8) a route proxies as tunnels. */
export interface RouteUpgradesConfig {
  /** Proxy `Upgrade: websocket` requests. Default `true`. */
  readonly websocket?: boolean;
  /** A tunnel with no bytes either way for this long is closed. Default `300000` (5 minutes). */
  readonly idleTimeoutMs?: number;
  /** A tunnel is closed after this long whatever its traffic; 0 = no limit, at most 7 days. Default `0`. */
  readonly maxLifetimeMs?: number;
}

/** TLS to an upstream's endpoints (https). */
export interface UpstreamTlsConfig {
  /**
   * PEM file of the CA certificates that may sign the endpoints' certificates. Default: Node's
   * bundled public roots.
   */
  readonly caFile?: string;
  /**
   * The name sent as SNI and verified against the endpoint's certificate. Default: the
   * endpoint's host when it is a name; with an IP endpoint, its IP is verified and no SNI sent.
   */
  readonly serverName?: string;
  /** false: accept any certificate (testing only). Default `true`. */
  readonly verify?: boolean;
  /** Client certificate chain (PEM) presented to the endpoints; with `keyFile` or not at all. */
  readonly certFile?: string;
  /** The private key (PEM, unencrypted) of `certFile`. */
  readonly keyFile?: string;
  /** Oldest protocol version accepted. Default `"TLSv1.2"`. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
}
