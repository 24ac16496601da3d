import * as fs from 'node:fs';

/**
 * Linux /proc readers for end-to-end assertions about worker processes: resident memory, and
 * which process owns a TCP connection (to prove a given worker served a request).
 */

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status). */
export function readRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Tracks the RSS of a set of processes: a baseline, then the peak of every later sample.
 * Sampling is driven by the test's own progress (every N bytes moved), not by a timer.
 */
export class RssTracker {
  private readonly baseline = new Map<number, number>();
  private readonly peak = new Map<number, number>();
  /** Number of samples taken after the baseline. */
  samples = 0;

  constructor(pids: readonly number[]) {
    for (const pid of pids) {
      const rss = readRss(pid);
      this.baseline.set(pid, rss);
      this.peak.set(pid, rss);
    }
  }

  /** Sample every tracked process now. */
  sample(): void {
    this.samples += 1;
    for (const [pid, peak] of this.peak) {
      const rss = readRss(pid);
      if (rss > peak) this.peak.set(pid, rss);
    }
  }

  /** Largest growth over the baseline of any tracked process, in bytes. */
  maxGrowth(): number {
    let max = 0;
    for (const [pid, peak] of this.peak) max = Math.max(max, peak - (this.baseline.get(pid) ?? peak));
    return max;
  }
}

/** Inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between readdir and readlink
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1] as string);
  }
  return inodes;
}

/**
 * The pid (among `pids`) owning the IPv4 loopback TCP connection from local port `localPort` to
 * remote port `remotePort`, or `null` when none of them holds it (or it is already closed).
 * /proc/net/tcp lists `local_address rem_address ... inode` with ports in hex.
 */
export function ownerOfConnection(localPort: number, remotePort: number, pids: readonly number[]): number | null {
  const lines = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n');
  let inode: string | null = null;
  for (let i = 1; i < lines.length && inode === null; i++) {
    const fields = (lines[i] as string).trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = parseInt((fields[1] as string).split(':')[1] as string, 16);
    const remote = parseInt((fields[2] as string).split(':')[1] as string, 16);
    if (local === localPort && remote === remotePort) inode = fields[9] as string;
  }
  if (inode === null) return null;
  for (const pid of pids) {
    if (socketInodes(pid).has(inode)) return pid;
  }
  return null;
}
