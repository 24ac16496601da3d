export type Tab = 'overview' | 'routes' | 'upstreams' | 'versions' | 'rollouts';

const TABS: readonly { readonly id: Tab; readonly label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'routes', label: 'Routes' },
  { id: 'upstreams', label: 'Upstreams' },
  { id: 'versions', label: 'Versions' },
  { id: 'rollouts', label: 'Rollouts' },
];

/** The view switcher: plain buttons (keyboard: Tab and Enter), the shown one marked aria-current. */
export function Nav({ tab, onTab }: { tab: Tab; onTab: (tab: Tab) => void }) {
  return (
    <nav aria-label="Views">
      <ul>
        {TABS.map((t) => (
          <li key={t.id}>
            <button type="button" class="tab" aria-current={t.id === tab ? 'page' : undefined} onClick={() => onTab(t.id)}>
              {t.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
