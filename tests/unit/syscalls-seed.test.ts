import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/linux-user/generic/guest-random.js';
import { SCRATCH, makeFixture } from './syscalls-fixture.js';

describe('-seed and -r', () => {
  it('a seeded source repeats its bytes for the same seed and differs for another', () => {
    const a = seededRandom(42n)(37);
    expect(seededRandom(42n)(37)).toEqual(a);
    expect(seededRandom(43n)(37)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(20); // not a constant or a short cycle
  });

  it('getrandom draws from the process source; uname reports the -r release', () => {
    const f = makeFixture({ random: seededRandom(7n), unameRelease: '9.9.9-test' });
    expect(f.call('getrandom', SCRATCH, 16, 0)).toBe(16);
    expect(Buffer.from(f.mem.read(SCRATCH, 16))).toEqual(Buffer.from(seededRandom(7n)(16)));
    expect(f.call('uname', SCRATCH)).toBe(0);
    expect(f.mem.readCString(SCRATCH + 65 * 2)).toBe('9.9.9-test'); // release is utsname's third field
  });
});
