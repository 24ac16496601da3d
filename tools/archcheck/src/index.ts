export { checkRepository } from './check';
export type { Violation, CheckOptions } from './check';
export { packageRules, closureRules, subpathRules, restrictedBuiltins } from './rules';
export type { PackageRule } from './rules';
export { scanFile, listSourceFiles, packageOf } from './scan';
export type { ImportRecord } from './scan';
