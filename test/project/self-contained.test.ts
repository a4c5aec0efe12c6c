// A clone must build, test and read on its own: no file may point outside the repository at a
// sibling folder (the contract, CRDs and Node samples are copied under docs/ and test/fixtures/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CLOUD_ARMOR_LIMITS, KCC_DIR, UPBOUND_DIR } from '../helpers/crd';
import { GKE_NODES_DIR } from '../helpers/nodes';
import { REPO_ROOT, readText, repoFiles } from './files';

// The sibling folder's parts (the contract under spec/, CRDs and samples under reference/), or a path
// climbing out of the repository to it: the project gives no folder of its own that name.
const SIBLING_FOLDER = /\bshared\/(?:reference|spec|hooks)\b|\.\.\/shared\b/;

test('no file in the repository refers to a sibling folder of the clone', () => {
  const offenders: string[] = [];
  for (const file of repoFiles()) {
    const text = readText(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, i) => {
      if (SIBLING_FOLDER.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('the files the tests validate against are in the repository', () => {
  const files = new Set(repoFiles());
  for (const dir of [KCC_DIR, UPBOUND_DIR, GKE_NODES_DIR]) {
    const rel = path.relative(REPO_ROOT, dir);
    assert.ok(!rel.startsWith('..'), `${dir} is outside the repository`);
    assert.ok([...files].some((f) => f.startsWith(`${rel}/`)), `${rel}/ holds no file of the repository`);
  }
});

test('the sibling-folder check finds the folder beside the clone however it is reached', () => {
  const folder = 'shared'; // spelled apart so this file does not trip its own check
  for (const line of [`see ../${folder}/spec/contract.md`, `path.resolve(__dirname, '../../../${folder}/reference/kcc')`, `kept in ../${folder} beside the clone`]) {
    assert.ok(SIBLING_FOLDER.test(line), line);
  }
  assert.ok(SIBLING_FOLDER.test(`import { x } from '../${folder}/x';`));
});

test('the Cloud Armor limit checks take their numbers from the sourced fixture', () => {
  assert.deepEqual(CLOUD_ARMOR_LIMITS, { rangesPerRule: 10, descriptionMaxChars: 64, defaultRulePriority: 2147483647 });
});
