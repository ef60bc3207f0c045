/**
 * Electron's fuses, as electron-builder.yml sets them: every fuse @electron/fuses (and
 * electron-builder's own option list) knows must be set, to the value chosen here. A fuse left
 * unset silently keeps Electron's default, so a new fuse fails this test until someone decides it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuseV1Options, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import type { FuseConfig } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { PlatformPackager } from 'app-builder-lib';
import type { Configuration, FuseOptionsV1 } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');

/** The value of every fuse, by electron-builder's option name. */
const EXPECTED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
} satisfies Required<Omit<FuseOptionsV1, 'resetAdHocDarwinSignature'>>;

/** Options in electron-builder's fuse block that are not fuses. */
const NOT_FUSES = ['resetAdHocDarwinSignature'];

/** RunAsNode → runAsNode: electron-builder names each fuse after @electron/fuses' enum member. */
const FUSE_NAMES = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
const optionName = (fuse: string): string => fuse.charAt(0).toLowerCase() + fuse.slice(1);

let config: Configuration;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-fuses-'));

beforeAll(async () => {
  config = await getConfig(PROJECT_DIR, null, null);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder accepts', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs asar and names the app', () => {
    expect(config.asar).toBe(true);
    expect(config.productName).toBe('Sportello');
    expect(config.appId).toBe('com.sportello.desktop');
  });

  it('decides every fuse @electron/fuses knows', () => {
    expect(FUSE_NAMES.map(optionName).sort()).toEqual(Object.keys(EXPECTED_FUSES).sort());
  });

  it('decides every fuse option electron-builder’s schema knows', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const options = Object.keys(schema.definitions.FuseOptionsV1.properties).filter((name) => !NOT_FUSES.includes(name));
    expect(options.sort()).toEqual(Object.keys(EXPECTED_FUSES).sort());
  });

  it.each(Object.entries(EXPECTED_FUSES))('sets %s to %s', (name, value) => {
    const fuses = (config.electronFuses ?? {}) as Record<string, unknown>;
    expect(fuses[name]).toBe(value);
  });

  it('sets nothing else in the fuse block', () => {
    expect(Object.keys(config.electronFuses ?? {}).sort()).toEqual([...Object.keys(EXPECTED_FUSES), ...NOT_FUSES].sort());
  });

  it('flips an Electron binary’s wire to exactly those values, every fuse explicit', async () => {
    // A stand-in binary: the sentinel, wire version 1, one byte per fuse, each the opposite of what we want.
    const expected = FUSE_NAMES.map((fuse) => (EXPECTED_FUSES as Record<string, boolean>)[optionName(fuse)]);
    const opposite = expected.map((on) => (on ? FuseState.DISABLE : FuseState.ENABLE));
    const binary = path.join(workDir, 'electron');
    fs.writeFileSync(binary, Buffer.concat([Buffer.alloc(64), Buffer.from(SENTINEL), Buffer.from([1, opposite.length, ...opposite]), Buffer.alloc(64)]));

    // The very mapping electron-builder applies before it flips (a private method, used here on purpose).
    const packager = PlatformPackager.prototype as unknown as { generateFuseConfig(fuses: FuseOptionsV1): Promise<FuseConfig> };
    const fuseConfig = await packager.generateFuseConfig(config.electronFuses ?? {});
    await flipFuses(binary, { ...fuseConfig, strictlyRequireAllFuses: true } as FuseConfig);

    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(FUSE_NAMES.map((_fuse, index) => wire[index])).toEqual(expected.map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE)));
  });
});
