/** Every weirctl command, by its words (main.ts dispatches on them). */
import type { Command } from './command';
import { applyCommand } from './apply-command';
import { bundleInspectCommand } from './bundle-inspect-command';
import { bundleKeygenCommand } from './bundle-keygen-command';
import { bundleSignCommand } from './bundle-sign-command';
import { bundleVerifyCommand } from './bundle-verify-command';
import { cachePurgeCommand } from './cache-purge-command';
import { diffCommand } from './diff-command';
import { getCommand } from './get-command';
import { hashSecretCommand } from './hash-secret-command';
import { rollbackCommand } from './rollback-command';
import { rolloutActionCommand } from './rollout-action-command';
import { rolloutListCommand } from './rollout-list-command';
import { rolloutStartCommand } from './rollout-start-command';
import { rolloutStatusCommand } from './rollout-status-command';
import { rolloutWaitCommand } from './rollout-wait-command';
import { statusCommand } from './status-command';
import { tokenCreateCommand } from './token-command';
import { validateCommand } from './validate-command';
import { versionsCommand } from './versions-command';

export type { Command, CommandContext } from './command';
export { statusLines } from './status-command';

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  diffCommand,
  getCommand,
  applyCommand,
  versionsCommand,
  rollbackCommand,
  statusCommand,
  cachePurgeCommand,
  tokenCreateCommand,
  hashSecretCommand,
  rolloutStartCommand,
  rolloutStatusCommand,
  rolloutWaitCommand,
  rolloutActionCommand('promote'),
  rolloutActionCommand('pause'),
  rolloutActionCommand('resume'),
  rolloutActionCommand('abort'),
  rolloutListCommand,
  bundleKeygenCommand,
  bundleSignCommand,
  bundleVerifyCommand,
  bundleInspectCommand,
];

/** Command words that take a subcommand. */
export const COMMAND_GROUPS: ReadonlySet<string> = new Set(['rollout', 'token', 'bundle', 'cache']);
