import { describe, expect, it } from 'vitest';
import { judgeAssignment } from '../../../src/model/rmrr/assignPolicy.ts';
import { dev, v2World, world2014 } from '../../fixtures/rmrr.ts';

describe('judgeAssignment: the thread\'s policy as one predicate', () => {
  it('allows a device without RMRRs anywhere (Guideline-2)', () => {
    expect(judgeAssignment(v2World(), 1, 'nic0')).toEqual({ mustFail: false, rules: [] });
  });

  it('allows a device whose RMRRs were reserved and are free', () => {
    expect(judgeAssignment(v2World(), 2, 'igd0')).toEqual({ mustFail: false, rules: [] });
  });

  it('refuses RMRRs the domain did not reserve when reservation is required', () => {
    expect(judgeAssignment(v2World(), 1, 'igd0').rules).toEqual(['rmrr-not-reserved']);
  });

  it('does not ask for reservations where the policy does not (2014)', () => {
    expect(judgeAssignment(world2014(), 1, 'igd0').mustFail).toBe(false);
  });

  it('refuses shared RMRRs under deny, not under allow', () => {
    expect(judgeAssignment(v2World(), 2, 'usb1').rules).toEqual(['rmrr-shared']);
    expect(judgeAssignment(v2World({ sharedRmrr: 'allow' }), 2, 'usb1').mustFail).toBe(false);
  });

  it('refuses a conflict under fail, not under warn', () => {
    expect(judgeAssignment(v2World(), 2, 'usb0').rules).toEqual(['rmrr-conflict']);
    expect(judgeAssignment(v2World({ rmrrConflict: 'warn' }), 2, 'usb0').mustFail).toBe(false);
  });

  it('lists every rule that applies', () => {
    expect(judgeAssignment(world2014(), 1, 'usb1').rules).toEqual(['rmrr-shared', 'rmrr-conflict']);
  });

  it('refuses what cannot take part: unknown device, dead or hardware domain, a device another guest holds', () => {
    const s = v2World();
    expect(judgeAssignment(s, 1, 'gpu9').rules).toEqual(['no-such-device']);
    expect(judgeAssignment(s, 3, 'nic0').rules).toEqual(['domain-not-running']);
    expect(judgeAssignment(s, 0, 'nic0').rules).toEqual(['hardware-domain']);
    dev(s, 'nic0').owner = 2;
    expect(judgeAssignment(s, 1, 'nic0').rules).toEqual(['device-already-assigned']);
    dev(s, 'nic0').owner = null;
    expect(judgeAssignment(s, 1, 'nic0').mustFail).toBe(false);
    delete s.platform;
    expect(judgeAssignment(s, 1, 'nic0').rules).toEqual(['no-platform']);
  });
});
