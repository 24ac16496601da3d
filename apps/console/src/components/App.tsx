import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, type Connection } from '../api';
import { readCapabilities } from '../capabilities';
import { forgetToken, loadToken, saveToken } from '../session';
import type { Capabilities } from '../types';
import { ConnectionBanner } from './ConnectionBanner';
import { Nav, type Tab } from './Nav';
import { Overview } from './Overview';
import { RolloutsView } from './RolloutsView';
import { RoutesView } from './RoutesView';
import { SignIn } from './SignIn';
import { UpstreamsView } from './UpstreamsView';
import { VersionsView } from './VersionsView';
import { useLiveStatus } from '../live';

/** The console: sign-in, then the views over one Api (the token of this tab). */
export function App() {
  const [token, setToken] = useState<string | null>(() => loadToken());
  if (token === null) {
    return (
      <SignIn
        onSignedIn={(t) => {
          saveToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <SignedIn
      token={token}
      onSignOut={() => {
        forgetToken();
        setToken(null);
      }}
    />
  );
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const [connection, setConnection] = useState<Connection>('ok');
  const api = useMemo(() => new Api(token, (state) => setConnection(state)), [token]);
  const [probed, setCaps] = useState<Capabilities | null>(null);
  const caps = probed ?? { name: null, write: false, rollout: false };
  const [tab, setTab] = useState<Tab>('overview');
  const status = useLiveStatus(api);

  useEffect(() => {
    void readCapabilities(api).then(setCaps);
  }, [api]);

  const version = status?.config?.version ?? null;
  return (
    <div class="shell">
      <header class="top">
        <h1>Weir console</h1>
        <Nav tab={tab} onTab={setTab} />
        <div class="who">
          {caps.name !== null ? <span class="muted" data-testid="token-name">{caps.name}: </span> : null}
          <span class="scopes" data-testid="scopes">
            {probed === null ? 'checking the token…' : caps.write || caps.rollout ? `can ${[caps.write ? 'write' : '', caps.rollout ? 'roll out' : ''].filter(Boolean).join(' and ')}` : 'read only'}
          </span>
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner connection={connection} onSignOut={onSignOut} />
      <main id="main">
        {status === null && connection === 'ok' ? <p aria-busy="true">Loading the primary's status…</p> : null}
        {status !== null && tab === 'overview' ? <Overview api={api} status={status} /> : null}
        {status !== null && tab === 'routes' ? <RoutesView api={api} version={version} /> : null}
        {status !== null && tab === 'upstreams' ? <UpstreamsView api={api} version={version} /> : null}
        {status !== null && tab === 'versions' ? <VersionsView api={api} version={version} canWrite={caps.write} /> : null}
        {status !== null && tab === 'rollouts' ? <RolloutsView api={api} status={status} canAct={caps.rollout} /> : null}
      </main>
    </div>
  );
}
