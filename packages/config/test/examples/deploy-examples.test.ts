import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@weir/config';

const examplesDir = join(__dirname, '..', '..', '..', '..', 'deploy', 'examples');
const files = readdirSync(examplesDir).filter((name) => name.endsWith('.json'));

describe('deploy/examples', () => {
  it('holds basic.json', () => {
    expect(files).toContain('basic.json');
  });

  it.each(files)('%s is a valid config', (name) => {
    const check = parseConfig(readFileSync(join(examplesDir, name), 'utf8'));
    // Asserting on the details (not just ok) makes a failure name the problems.
    expect(check.ok ? [] : (check.error.details ?? [{ pointer: '', message: check.error.message }])).toEqual([]);
  });
});
