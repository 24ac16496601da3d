/**
 * Traffic module: how a route's requests are split across upstream groups (DESIGN.md section 3,
 * step 2), the weighted index table the balancer shares, and traffic plans (issue 19):
 * overrides, sticky keys, fault injection and mirrors.
 */
export { WeightedTable, DEFAULT_MAX_TABLE_LENGTH } from './weighted-table';
export type { WeightedTableOptions } from './weighted-table';
export { TrafficPlan } from './traffic-plan';
export type { SplitEntry } from './traffic-plan';
export { OverrideMatcher, NO_OVERRIDE } from './override-matcher';
export { StickyChooser, stickyKey, claimKey } from './sticky-chooser';
export {
  decideFault,
  parseFaultHeader,
  isFaultDelay,
  isFaultAbort,
  faultDelayMs,
  faultAbortStatus,
  DelayGate,
  FAULT_NONE,
  FAULT_HEADER,
  MAX_HEADER_DELAY_MS,
} from './fault-decision';
export type { FaultDecision } from './fault-decision';
export { TrafficChooser } from './traffic-chooser';
export type { TrafficChoiceMetrics, TrafficChooserOptions } from './traffic-chooser';
export { MirrorSender, mirrorHeaders, shadowHost } from './mirror-sender';
export type { MirrorMetrics, MirrorOutcome, MirrorSenderOptions } from './mirror-sender';
export { MirrorSenders } from './mirror-senders';
export { hashString, hashRange, mix32 } from './hash';
