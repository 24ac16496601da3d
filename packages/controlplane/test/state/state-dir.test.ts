import { resolveStateDir, type StateDirEnvironment } from '../../src/state/index';

function env(vars: Record<string, string>, uid: number | null = 1000): StateDirEnvironment {
  return { env: vars, uid, home: '/home/ada', cwd: '/srv/app' };
}

describe('resolveStateDir', () => {
  it('uses the configured directory first, resolved against the current directory', () => {
    expect(resolveStateDir('state', env({ STATE_DIRECTORY: '/var/lib/weir' }, 0))).toEqual({ dir: '/srv/app/state', origin: 'configured' });
    expect(resolveStateDir('/data/weir', env({}))).toEqual({ dir: '/data/weir', origin: 'configured' });
  });

  it("then systemd's STATE_DIRECTORY (the first, when the unit lists several)", () => {
    expect(resolveStateDir(null, env({ STATE_DIRECTORY: '/var/lib/weir:/var/lib/other' }))).toEqual({ dir: '/var/lib/weir', origin: 'systemd' });
    expect(resolveStateDir(undefined, env({ STATE_DIRECTORY: 'relative' }, 0))).toEqual({ dir: '/var/lib/weir', origin: 'root' });
  });

  it('then /var/lib/weir for root', () => {
    expect(resolveStateDir('', env({}, 0))).toEqual({ dir: '/var/lib/weir', origin: 'root' });
  });

  it('then the XDG state directory of the user', () => {
    expect(resolveStateDir(null, env({ XDG_STATE_HOME: '/tmp/xdg' }))).toEqual({ dir: '/tmp/xdg/weir', origin: 'user' });
    expect(resolveStateDir(null, env({ XDG_STATE_HOME: 'not/absolute' }))).toEqual({ dir: '/home/ada/.local/state/weir', origin: 'user' });
    expect(resolveStateDir(null, env({}, null))).toEqual({ dir: '/home/ada/.local/state/weir', origin: 'user' });
  });
});
