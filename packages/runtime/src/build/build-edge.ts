import type {
  CertificateConfig,
  Http2Config,
  HttpsRedirectConfig,
  ListenerConfig,
  RouteUpgradesConfig,
  TlsMaterial,
  UpstreamTlsConfig,
} from '@weir/config';
import { WeirError } from '@weir/errors';
import { configDefaults } from '../spec/index';
import type {
  CertificateSpec,
  Http2Spec,
  HttpsRedirectSpec,
  ListenerTlsSpec,
  UpgradesSpec,
  UpstreamTlsSpec,
} from '../spec/index';

const d = configDefaults;

/**
 * The edge parts of `buildSpec` (issue 8): certificates, listener TLS and HTTP/2, HTTPS
 * redirects, upgrade tunnels, upstream TLS. PEM text comes from `material` (read and checked by
 * `@weir/config`'s `loadTlsMaterial`); a file the material lacks throws WEIR_ERR_CONFIG_INVALID
 * with its pointer, so a spec never names a file a worker would have to read.
 */
export function buildCertificate(cert: CertificateConfig, index: number, material: TlsMaterial): CertificateSpec {
  const leaf = material.leaves.get(cert.name);
  if (leaf === undefined) throw missing(`/certificates/${index}/certFile`, cert.certFile);
  return {
    certPem: pem(material, cert.certFile, `/certificates/${index}/certFile`),
    keyPem: pem(material, cert.keyFile, `/certificates/${index}/keyFile`),
    name: cert.name,
    notAfter: leaf.notAfter,
    serverNames: uniqueLowerCase(cert.serverNames ?? leaf.dnsNames),
  };
}

export function buildListenerTls(listener: ListenerConfig, index: number, material: TlsMaterial): ListenerTlsSpec | null {
  const tls = listener.tls;
  if (tls === undefined) return null;
  const t = d.listenerTls;
  const auth = tls.clientAuth;
  return {
    alpn: (tls.alpn ?? t.alpn).slice(),
    certificates: tls.certificates.slice(),
    ciphers: tls.ciphers ?? t.ciphers,
    clientAuth:
      auth === undefined
        ? null
        : {
            caPem: pem(material, auth.caFile, `/listeners/${index}/tls/clientAuth/caFile`),
            required: auth.required ?? d.clientAuth.required,
          },
    defaultCertificate: tls.defaultCertificate ?? (tls.certificates[0] as string),
    ecdhCurves: tls.ecdhCurves ?? t.ecdhCurves,
    handshakeTimeoutMs: tls.handshakeTimeoutMs ?? t.handshakeTimeoutMs,
    maxVersion: tls.maxVersion ?? t.maxVersion,
    minVersion: tls.minVersion ?? t.minVersion,
  };
}

export function buildHttp2(http2: Http2Config | undefined): Http2Spec {
  const h = d.http2;
  return {
    initialWindowBytes: http2?.initialWindowBytes ?? h.initialWindowBytes,
    maxConcurrentStreams: http2?.maxConcurrentStreams ?? h.maxConcurrentStreams,
    maxResets: http2?.maxResets ?? h.maxResets,
    resetWindowMs: http2?.resetWindowMs ?? h.resetWindowMs,
  };
}

export function buildHttpsRedirect(redirect: HttpsRedirectConfig | undefined): HttpsRedirectSpec | null {
  if (redirect === undefined) return null;
  return { port: redirect.port ?? d.httpsRedirect.port, status: redirect.status ?? d.httpsRedirect.status };
}

export function buildUpgrades(upgrades: RouteUpgradesConfig | undefined): UpgradesSpec {
  const u = d.routeUpgrades;
  return {
    idleTimeoutMs: upgrades?.idleTimeoutMs ?? u.idleTimeoutMs,
    maxLifetimeMs: upgrades?.maxLifetimeMs ?? u.maxLifetimeMs,
    websocket: upgrades?.websocket ?? u.websocket,
  };
}

export function buildUpstreamTls(tls: UpstreamTlsConfig | undefined, index: number, material: TlsMaterial): UpstreamTlsSpec | null {
  if (tls === undefined) return null;
  const at = `/upstreams/${index}/tls`;
  return {
    caPem: tls.caFile === undefined ? null : pem(material, tls.caFile, `${at}/caFile`),
    certPem: tls.certFile === undefined ? null : pem(material, tls.certFile, `${at}/certFile`),
    keyPem: tls.keyFile === undefined ? null : pem(material, tls.keyFile, `${at}/keyFile`),
    minVersion: tls.minVersion ?? d.upstreamTls.minVersion,
    serverName: tls.serverName === undefined ? null : tls.serverName.toLowerCase(),
    verify: tls.verify ?? d.upstreamTls.verify,
  };
}

function pem(material: TlsMaterial, file: string, pointer: string): string {
  const text = material.files.get(file);
  if (text === undefined) throw missing(pointer, file);
  return text;
}

function missing(pointer: string, file: string): WeirError {
  return new WeirError('WEIR_ERR_CONFIG_INVALID', `TLS file "${file}" was not loaded (run loadTlsMaterial before buildSpec)`, {
    pointer,
  });
}

/** Lower-cased, each name once (names compare case-insensitively), in first-seen order. */
function uniqueLowerCase(names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = (names[i] as string).toLowerCase();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
