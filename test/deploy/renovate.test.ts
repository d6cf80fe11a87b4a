/**
 * renovate.json: images pinned by digest and kept fresh, npm packages kept fresh, as reviewed
 * pull requests. Renovate's own validator needs the renovate package (hundreds of MB), so this
 * checks the settings that the security notes (docs/operations/security.md) promise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface PackageRule {
  matchManagers?: string[];
  matchPackageNames?: string[];
  matchUpdateTypes?: string[];
  matchDepTypes?: string[];
  pinDigests?: boolean;
  enabled?: boolean;
}

const renovate = JSON.parse(readFileSync(path.join(ROOT, 'renovate.json'), 'utf8')) as {
  extends?: string[];
  enabledManagers?: string[];
  vulnerabilityAlerts?: { enabled?: boolean };
  packageRules?: PackageRule[];
};
const rules = renovate.packageRules ?? [];

describe('renovate.json', () => {
  it('watches the npm packages, the Dockerfile and compose.yaml', () => {
    expect(renovate.enabledManagers?.sort()).toEqual(['docker-compose', 'dockerfile', 'npm']);
    expect(renovate.vulnerabilityAlerts?.enabled).toBe(true);
  });

  it('pins every image by digest, in the Dockerfile and in compose.yaml', () => {
    const pinning = rules.filter((rule) => rule.pinDigests === true);
    for (const manager of ['dockerfile', 'docker-compose']) {
      const rule = pinning.find((r) => r.matchManagers?.includes(manager));
      expect(rule, manager).toBeDefined();
      // For every image of that manager, not a chosen few.
      expect(rule?.matchPackageNames, manager).toBeUndefined();
    }
  });

  it('turns off nothing but PostgreSQL major versions, which need a data upgrade', () => {
    const disabled = rules.filter((rule) => rule.enabled === false);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({
      matchPackageNames: ['postgres'],
      matchUpdateTypes: ['major'],
    });
  });

  it('names images that Renovate can see: every compose image is a plain name and tag', () => {
    const compose = readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8');
    const images = [...compose.matchAll(/^\s+image: (\S+)$/gm)].map(([, image]) => image ?? '');
    const external = images.filter((image) => !image.startsWith('${'));
    expect(external.length).toBeGreaterThan(5);
    for (const image of external)
      expect(image).toMatch(/^[a-z0-9./-]+:[\w.-]+(@sha256:[0-9a-f]{64})?$/);
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    for (const [, image] of dockerfile.matchAll(/^FROM (\S+)/gm)) {
      expect(image).toMatch(/^[a-z0-9./-]+:[\w.-]+(@sha256:[0-9a-f]{64})?$/);
    }
  });
});
