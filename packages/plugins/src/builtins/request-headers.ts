import { CONTINUE, type Plugin, type PluginOutcome, type PluginRequest } from '../plugin';
import type { HeaderEditsSpec } from '../plugin-spec';
import { HeaderEdits } from './header-edits';

/**
 * `requestHeaders`: edits the header list sent upstream (remove, then set, then add). Runs in
 * config order with the other plugins, so an auth plugin after it sees the edited list.
 * Validation keeps hop-by-hop names and `Host` out of the spec.
 */
export class RequestHeadersPlugin implements Plugin {
  readonly type = 'requestHeaders';
  private readonly edits: HeaderEdits;

  constructor(spec: HeaderEditsSpec) {
    this.edits = new HeaderEdits(spec);
  }

  onRequest(req: PluginRequest): PluginOutcome {
    this.edits.apply(req.headers);
    return CONTINUE;
  }
}
