// package/: the Function package declares both capabilities it serves, and ships the input's CRD.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { API_GROUP, INPUT_KIND } from '../../fn/core';
import { REPO } from './harness';

test('package/crossplane.yaml declares the composition and operation capabilities', () => {
  const meta = yaml.load(fs.readFileSync(path.join(REPO, 'package/crossplane.yaml'), 'utf8')) as { spec: { capabilities: string[] } };
  assert.deepStrictEqual([...meta.spec.capabilities].sort(), ['composition', 'operation']);
});

test('package/input/ holds the CRD of the function Input, named after the project\'s group', () => {
  const files = fs.readdirSync(path.join(REPO, 'package/input'));
  assert.deepStrictEqual(files, [`${API_GROUP}_inputs.yaml`]);
  const crd = yaml.load(fs.readFileSync(path.join(REPO, 'package/input', files[0]!), 'utf8')) as { kind: string; metadata: { name: string }; spec: { group: string; names: { kind: string } } };
  assert.equal(crd.kind, 'CustomResourceDefinition');
  assert.equal(crd.metadata.name, `inputs.${API_GROUP}`);
  assert.deepStrictEqual([crd.spec.group, crd.spec.names.kind], [API_GROUP, INPUT_KIND]);
});
