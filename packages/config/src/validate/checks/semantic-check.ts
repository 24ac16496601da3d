import type { WeirConfig } from '../../types/index';

/** Records one problem: where it is (a JSON pointer) and what is wrong, for an operator. */
export type Report = (pointer: string, message: string) => void;

/**
 * A semantic check: a rule the JSON Schema cannot express. It receives a config that already
 * passed the schema (so shapes and types hold) and reports every problem it finds; it never
 * throws and never stops at the first problem.
 */
export type SemanticCheck = (config: WeirConfig, report: Report) => void;
