import type { Connection } from '../api';

/** Says plainly when the primary does not answer or no longer accepts the token. */
export function ConnectionBanner({ connection, onSignOut }: { connection: Connection; onSignOut: () => void }) {
  if (connection === 'ok') return null;
  if (connection === 'unauthorized') {
    return (
      <div class="banner bad" role="alert" data-testid="banner">
        <strong>Token refused.</strong> The admin API no longer accepts this token (401: expired, revoked or replaced in
        admin.tokens). What is shown may be out of date.{' '}
        <button type="button" onClick={onSignOut}>
          Sign in again
        </button>
      </div>
    );
  }
  if (connection === 'throttled') {
    return (
      <div class="banner bad" role="alert" data-testid="banner">
        <strong>Throttled.</strong> The admin API refuses failed sign-ins from this address for now (429). Wait a minute.
      </div>
    );
  }
  return (
    <div class="banner bad" role="alert" data-testid="banner">
      <strong>Primary unreachable.</strong> The admin API does not answer. Showing the last known state; retrying every 2 seconds.
    </div>
  );
}
