import type { Plugin, PluginOutcome, PluginReply, PluginRequest } from '../plugin';
import type { RedirectPluginSpec } from '../plugin-spec';
import { plainReply } from '../reply';

const PATH = 0;
const HOST = 1;

/**
 * `redirect`: answers every request with `status` and `Location: location` instead of
 * forwarding. In `location`, `{path}` is replaced by the request's path with its query (after
 * any rewrite listed before this plugin) and `{host}` by its host (with the port as sent).
 * A location without placeholders is answered with one reply built here; otherwise the template
 * is split once into literals and placeholder slots, and a request only concatenates.
 */
export class RedirectPlugin implements Plugin {
  readonly type = 'redirect';
  private readonly status: number;
  /** Literals at even indexes, PATH or HOST at odd ones. */
  private readonly template: readonly (string | number)[];
  /** The configured location itself starts with `//` (a protocol-relative URL on purpose). */
  private readonly pathOnlyIsIntended: boolean;
  /** The reply when the location has no placeholder, else null. */
  private readonly constant: PluginReply | null;

  constructor(spec: RedirectPluginSpec) {
    this.status = spec.status;
    const template: (string | number)[] = [];
    const placeholder = /\{(path|host)\}/g;
    let last = 0;
    for (let m = placeholder.exec(spec.location); m !== null; m = placeholder.exec(spec.location)) {
      template.push(spec.location.slice(last, m.index), m[1] === 'path' ? PATH : HOST);
      last = m.index + m[0].length;
    }
    template.push(spec.location.slice(last));
    this.template = template;
    this.pathOnlyIsIntended = spec.location.startsWith('//');
    this.constant = template.length === 1 ? plainReply(spec.status, ['location', spec.location]) : null;
  }

  onRequest(req: PluginRequest): PluginOutcome {
    if (this.constant !== null) return this.constant;
    const template = this.template;
    let location = template[0] as string;
    for (let i = 1; i < template.length; i += 2) {
      location += (template[i] === PATH ? req.path : req.host) + (template[i + 1] as string);
    }
    // A path-only location must stay a path: with `paths.mergeSlashes: false` a request for
    // `//evil.example/x` would otherwise make `{path}` a protocol-relative redirect off-site.
    if (location.charCodeAt(0) === 0x2f && location.charCodeAt(1) === 0x2f && !this.pathOnlyIsIntended) location = location.replace(/^\/+/, '/');
    return { status: this.status, headers: ['location', location], body: '', code: null };
  }
}
