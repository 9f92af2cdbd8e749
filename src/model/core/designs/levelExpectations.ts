/**
 * What each XenGT design is expected to give, level by level, under each adversary setting — the
 * answers the XenGT thread (seed 000) argues for, written once per design family so the level table
 * (src/cli/levelTable.ts) and the verdicts agree. Tim Deegan 2014-12-11 21:29: "a reasonable minimum
 * standard to expect is to enforce levels 0 and 1 in Xen, and trust XenGT for levels 2 and 3".
 */
import type { Expectation } from '../design.ts';
import type { KnobValues } from '../op.ts';
import { adversaryConfig, identityConfig } from '../adversary.ts';
import { coreConfig } from '../knobs.ts';
import { violated } from '../adversaryDesigns.ts';

type Out = Record<string, Expectation>;

/** Level 3 in a design whose device model maps what the client's GTT names, with nothing recording what was given. */
const LEVEL3_TRUSTED = violated(
  "level 3 is trusted to XenGT (Tim Deegan's option a): the device model maps whatever the client's GPU tables name, and the client never said which pages it gives — a page it keeps private is reachable",
);

/** What a compromised device model's forged table entries do to the accounting invariants. */
function forgedEntries(out: Out): void {
  out['no-stale-reference'] = violated('a forged table entry names whatever its address maps later: it was never taken at that generation');
}

/** The raw-MFN designs (xen-translate-gpfn, xengt-shadow-translate): nothing Xen enforces after the lookup. */
export function translateGpfnLevels(knobs: KnobValues): Out {
  const a = adversaryConfig(knobs);
  const coversXen = identityConfig(knobs).dom0IdentityCoversXen;
  const out: Out = {
    'level-1-clients-only': violated(
      a.backend === 'compromised'
        ? 'a compromised backend writes any MFN into its tables and the 1:1 IOMMU lets the GPU reach it: a non-client in one action'
        : 'the lookup is checked once; after the client balloons the page out it is free or another domain\'s, and the raw MFN still reaches it',
    ),
    'level-2-clients-isolated': violated('a raw MFN reaches whatever the frame became: another client\'s page once it is reallocated, or any MFN a compromised backend writes'),
    'level-3-only-what-was-given': LEVEL3_TRUSTED,
  };
  if (coversXen) {
    out['level-0-xen-protected'] = violated(
      a.backend === 'compromised'
        ? "dom0IdentityCoversXen=true (Tim Deegan's reading): a compromised backend writes one of Xen's MFNs into its table, and the 1:1 IOMMU lets the GPU write it"
        : "dom0IdentityCoversXen=true: a ballooned-out frame Xen takes for itself stays in the GPU's tables behind the 1:1 IOMMU",
    );
  }
  return out;
}

/** Whether Xen checks the backend's map requests against a target list: de-privileged and checkTarget on. */
function targetChecked(knobs: KnobValues): boolean {
  return adversaryConfig(knobs).backendPrivilege === 'device-model' && coreConfig(knobs).checkTarget;
}

/** What losing the target check does to no-foreign-reach and level 1 (control-domain backend, or checkTarget=false). */
function unchecked(out: Out, knobs: KnobValues): void {
  if (targetChecked(knobs)) return;
  const why =
    adversaryConfig(knobs).backendPrivilege === 'control-domain'
      ? "backendPrivilege=control-domain: XSM_TARGET lets the control domain map any domain, so the backend's requests for a non-client succeed"
      : 'checkTarget=false: Xen maps any domain for the backend';
  out['level-1-clients-only'] = violated(`${why} — a non-client's page reached in one action`);
  out['no-foreign-reach'] = violated(`${why}, so its GPU reaches non-clients`);
}

/** Map-for-DMA with a flat table (xen-map-for-dma): Xen enforces levels 0 and 1 against a lying backend, no more. */
export function mapForDmaLevels(knobs: KnobValues): Out {
  const a = adversaryConfig(knobs);
  const out: Out = { 'level-3-only-what-was-given': LEVEL3_TRUSTED };
  if (a.backend === 'compromised') {
    out['level-2-clients-isolated'] = violated(
      "map-for-DMA alone is not level 2: every client is a target, so a compromised backend maps client B's page and writes its BFN into client A's table (two actions)",
    );
    forgedEntries(out);
  }
  unchecked(out, knobs);
  return out;
}

/** Map-for-DMA under the shadow GTTs (xengt-shadow-map): levels 0 and 1 from Xen, 2 and 3 from XenGT. */
export function shadowMapLevels(knobs: KnobValues): Out {
  const a = adversaryConfig(knobs);
  const out: Out = { 'level-3-only-what-was-given': LEVEL3_TRUSTED };
  if (a.backend === 'compromised') {
    const why = "a compromised device model writes another client's BFN into a VM's GGTT slice or PPGTT, or queues a command naming another slice after its audit";
    out['level-2-clients-isolated'] = violated(why);
    out['gpu-reaches-only-own-vm'] = violated(why);
    out['no-foreign-reach'] = violated("a forged GGTT entry in one client's slice names another client's page: that client's aperture reaches it");
    forgedEntries(out);
    // A correct GVT device model shadows only its own clients' GFNs: placement matters only once it lies.
    unchecked(out, knobs);
  }
  return out;
}

/** Privilege separation (xengt-privsep): levels 0–2 from the trusted shadowing component, not 3. */
export function privsepLevels(knobs: KnobValues): Out {
  const out: Out = {
    'level-3-only-what-was-given': violated(
      "level 3 is not what option (c) buys: the trusted component shadows whatever GFN the emulator names, and the emulator keeps IS_PRIV_FOR over its clients (foreign maps) — a page the client kept private is reachable",
    ),
  };
  unchecked(out, knobs);
  return out;
}

/** The grant-based design (xengt-grant): level 3 as a NIC driver domain has it; level 2 trusted to the backend. */
export function grantLevels(knobs: KnobValues): Out {
  const a = adversaryConfig(knobs);
  const out: Out = {};
  if (a.backend === 'compromised') {
    out['level-2-clients-isolated'] = violated(
      "grants are not level 2 (Tim Deegan: a compromised NIC driver domain \"controls the network traffic for all its frontends\"): it writes client B's granted BFN into client A's table",
    );
    forgedEntries(out);
  }
  if (a.client === 'compromised') {
    out['level-3-only-what-was-given'] = violated(
      'a client that reuses a page for private data while its grant is still mapped (endAccess answered EBUSY) exposes it: the backend keeps the mapping',
    );
  }
  if (adversaryConfig(knobs).backendPrivilege === 'control-domain') {
    const why = 'backendPrivilege=control-domain: XSM_TARGET lets the control domain map any domain, grant or not';
    out['level-1-clients-only'] = violated(`${why}: a foreign map of a non-client's page`);
    out['no-foreign-reach'] = violated(`${why}: its CPU reaches non-clients through foreign maps`);
    out['level-3-only-what-was-given'] = violated(`${why}: a foreign map of a client page the client never granted`);
  }
  return out;
}
