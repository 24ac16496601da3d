import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api';

/** Why a sign-in failed, in an operator's words. */
function reason(err: unknown): string {
  if (!(err instanceof ApiError)) return `Sign-in failed: ${String(err)}`;
  if (err.status === 401) return 'Wrong token: the admin API refused it (401). Check that you pasted the whole token (it starts with weir_).';
  if (err.status === 429) return 'Too many failed sign-ins from this address: the admin API throttles them (429). Wait a minute, then try again.';
  if (err.status === 403) return 'This token may not read the status (403): it needs the read scope.';
  if (err.status === 0) return 'The primary is unreachable: the admin API did not answer.';
  return `Sign-in failed: ${err.message}`;
}

/**
 * The token is typed once; it is checked with `GET /admin/status` and then kept only for this
 * tab (sessionStorage), never in localStorage or a URL.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (value === '') {
      setError('Type an admin token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await new Api(value, () => undefined).get('/admin/status');
      onSignedIn(value);
    } catch (err) {
      setError(reason(err));
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <h1>Weir console</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p id="signin-help" class="muted">
          The token is kept only for this tab and sent only to this admin API. A read token sees everything and changes nothing.
        </p>
        {error !== null ? (
          <p class="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
