/**
 * The file provider: `FileProvider` reads and parses the config file (with its content hash),
 * `FileWatcher` reports debounced content changes of it (directory watch, so renames are seen).
 * The daemon applies both through the ApplyManager with source `file`.
 */
export { FileProvider, contentHash } from './file-provider';
export type { FileRead } from './file-provider';
export { FileWatcher, watchDirectoryWithFs } from './file-watcher';
export type { DirectoryWatch, FileChange, FileWatcherOptions, WatchDirectory, WatchTimers } from './file-watcher';
