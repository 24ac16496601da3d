import { AddressSet } from '../net/index';
import { CONTINUE, type Plugin, type PluginOutcome, type PluginReply, type PluginRequest } from '../plugin';
import type { IpFilterPluginSpec } from '../plugin-spec';
import { errorReply } from '../reply';

/**
 * `ipFilter`: allows or refuses by the resolved client address (`req.clientAddress`, after
 * trusted proxies). An address in `deny` is refused (deny wins); with a non-empty `allow`, an
 * address outside it is refused too. Refused: 403 WEIR_ERR_FORBIDDEN. An IPv4-mapped IPv6 peer
 * (`::ffff:10.1.2.3`) matches IPv4 ranges (AddressSet). An empty address (none resolved) is
 * refused by a non-empty `allow`.
 */
export class IpFilterPlugin implements Plugin {
  readonly type = 'ipFilter';
  private readonly allow: AddressSet;
  private readonly deny: AddressSet;
  private readonly refusal: PluginReply = errorReply('WEIR_ERR_FORBIDDEN');

  constructor(spec: IpFilterPluginSpec) {
    this.allow = AddressSet.of(spec.allow);
    this.deny = AddressSet.of(spec.deny);
  }

  onRequest(req: PluginRequest): PluginOutcome {
    const address = req.clientAddress;
    if (this.deny.has(address)) return this.refusal;
    if (!this.allow.empty && !this.allow.has(address)) return this.refusal;
    return CONTINUE;
  }
}
