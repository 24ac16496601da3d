import { EntityTagCondition, versionTag } from '../../src/admin/index';

describe('EntityTagCondition', () => {
  it('quotes versions as strong tags', () => {
    expect(versionTag('v-1')).toBe('"v-1"');
  });

  it('parses lists, *, weak tags, and fails safe on garbage', () => {
    expect(EntityTagCondition.parse(undefined)).toBeNull();
    const list = EntityTagCondition.parse(' "v-1" , W/"v-2",')!;
    expect([list.matchesStrong('v-1'), list.matchesStrong('v-2'), list.matchesWeak('v-2'), list.matchesStrong('v-3')]).toEqual([true, false, true, false]);
    const any = EntityTagCondition.parse('*')!;
    expect([any.matchesStrong('v-9'), any.matchesStrong(null), any.matchesWeak('v-9')]).toEqual([true, false, true]);
    for (const garbage of ['v-1', '"v-1" junk', '"unterminated', '']) {
      const condition = EntityTagCondition.parse(garbage)!;
      expect([garbage, condition.matchesStrong('v-1'), condition.matchesWeak('v-1')]).toEqual([garbage, false, false]);
    }
  });
});
