import type { Loaded } from '../live';

/** What a view shows while its data loads or when it failed; null once there is data. */
export function LoadState<T>({ state, what }: { state: Loaded<T>; what: string }) {
  if (state.kind === 'loading') return <p aria-busy="true">Loading {what}…</p>;
  if (state.kind === 'missing') return <p class="muted">This primary does not serve {what}.</p>;
  if (state.kind === 'error') return <p class="error" role="alert">Could not load {what}: {state.message}</p>;
  return null;
}
