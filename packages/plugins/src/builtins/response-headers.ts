import type { Plugin, PluginRequest, PluginResponse } from '../plugin';
import type { HeaderEditsSpec } from '../plugin-spec';
import { HeaderEdits } from './header-edits';

/**
 * `responseHeaders`: edits the headers sent to the client (remove, then set, then add), in the
 * response phase, so it applies to upstream responses and to replies of any plugin (a redirect,
 * a CORS preflight, a 401) alike.
 */
export class ResponseHeadersPlugin implements Plugin {
  readonly type = 'responseHeaders';
  private readonly edits: HeaderEdits;

  constructor(spec: HeaderEditsSpec) {
    this.edits = new HeaderEdits(spec);
  }

  onResponse(_req: PluginRequest, res: PluginResponse): void {
    this.edits.apply(res.headers);
  }
}
