import type { AdminClient } from '../admin-client';
import type { CommandLine, FlagSpecs } from '../cli-options';
import type { ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** What a command runs with: its parsed command line, the output, a client and a clock. */
export interface CommandContext {
  readonly line: CommandLine;
  readonly out: Output;
  /** The admin client for the resolved connection, created on first use (main closes it). */
  client(): AdminClient;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
}

/** One weirctl command: its words (`rollout start`), the flags it accepts beyond the global ones, and its body. */
export interface Command {
  /** The command words, space-separated. */
  readonly name: string;
  /** Flags beyond GLOBAL_FLAGS; any other flag is a usage error. */
  readonly flags: FlagSpecs;
  /** Returns the exit code; throws AdminCallError or CliError, which main reports. */
  run(context: CommandContext): ExitCode | Promise<ExitCode>;
}
