import { time } from '../format';
import type { CertificateStatus } from '../types';
import { TableWrap } from './TableWrap';

/** Below this many days a certificate is marked as expiring (Let's Encrypt renews at 30). */
const WARN_DAYS = 14;
const DAY_SECONDS = 86_400;

function expiry(seconds: number): { text: string; level: 'bad' | 'warn' | 'good' } {
  if (seconds <= 0) return { text: 'expired', level: 'bad' };
  const days = Math.floor(seconds / DAY_SECONDS);
  const text = days >= 1 ? `${days} day${days === 1 ? '' : 's'} left` : `${Math.max(1, Math.floor(seconds / 3600))} h left`;
  return { text, level: days < WARN_DAYS ? 'warn' : 'good' };
}

/**
 * The running config's TLS certificates on the overview (issue 17, with the edge issue): name,
 * names served, listeners, notAfter and the time left, soonest first; expired and soon-expiring
 * ones stand out. Shown only when the config has TLS listeners.
 */
export function CertificatesTable({ certificates }: { certificates: readonly CertificateStatus[] }) {
  return (
    <section aria-labelledby="certificates-title">
      <h3 id="certificates-title">Certificates</h3>
      <TableWrap label="Certificates">
        <table data-testid="certificates">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Serves</th>
              <th scope="col">Listeners</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {certificates.map((c) => {
              const left = expiry(c.expiresInSeconds);
              return (
                <tr key={c.name} data-testid={`certificate-${c.name}`}>
                  <td>{c.name}</td>
                  <td class="wrap">{c.serverNames.join(', ')}</td>
                  <td>{c.listeners.join(', ')}</td>
                  <td>
                    <time dateTime={c.notAfter}>{time(c.notAfter)}</time> <span class={`tag ${left.level}`}>{left.text}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
