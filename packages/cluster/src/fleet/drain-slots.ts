import type { Logger } from '@weir/obs';
import type { StatusBoard } from './status-board';
import type { WorkerSlot } from './worker-slot';

/**
 * The fleet's drain: cancel pending restarts, tell every attached worker to drain (stop
 * accepting, finish in-flight requests for up to `timeoutMs`, exit 0), and resolve once all
 * have exited. Workers still alive after `timeoutMs` + `graceMs` are killed with SIGKILL.
 */
export async function drainSlots(slots: readonly WorkerSlot[], board: StatusBoard, logger: Logger, timeoutMs: number, graceMs: number): Promise<void> {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as WorkerSlot;
    if (slot.restartTimer !== null) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const channel = slot.channel;
    if (channel === null) slot.state = 'stopped';
    // A worker that has not said hello has no agent listening yet and no listener open.
    else if (slot.state === 'starting') channel.kill('SIGTERM');
    else channel.send({ type: 'weir:drain', timeoutMs });
  }
  board.changed();
  const allExited = (): boolean => slots.every((s) => s.channel === null);
  if (await board.waitFor(allExited, timeoutMs + graceMs)) return;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as WorkerSlot;
    if (slot.channel === null) continue;
    logger.warn({ workerPid: slot.pid, timeoutMs }, 'worker did not drain in time; killing it');
    slot.channel.kill('SIGKILL');
  }
  await board.waitFor(allExited, graceMs);
}
