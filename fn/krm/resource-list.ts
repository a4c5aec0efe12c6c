// The KRM Functions Specification's wire types (config.kubernetes.io/v1 ResourceList) and the small
// helpers every part of the KRM adapter needs to name and place objects.
import type { Finding } from '../core';

export const RESOURCE_LIST_API_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1alpha1'];

export type KrmObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; [k: string]: unknown };
  [key: string]: unknown;
};

export interface KrmResult {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string; currentValue?: unknown };
  file?: { path: string; index?: number };
}

export interface ResourceList {
  apiVersion: string;
  kind: 'ResourceList';
  items: KrmObject[];
  functionConfig?: KrmObject;
  results?: KrmResult[];
}

export const PATH_ANNOTATION = 'internal.config.kubernetes.io/path';
export const INDEX_ANNOTATION = 'internal.config.kubernetes.io/index';
export const LEGACY_PATH_ANNOTATION = 'config.kubernetes.io/path';
export const LEGACY_INDEX_ANNOTATION = 'config.kubernetes.io/index';
/** Marks what this function generated, so a later run can replace or prune it (defined in the core). */
export { GENERATED_FROM_ANNOTATION } from '../core';

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** group/kind/namespace/name: the identity kpt and kustomize use (the version is not part of it). */
export function identity(o: KrmObject): string {
  const group = (o.apiVersion ?? '').includes('/') ? (o.apiVersion ?? '').split('/')[0] : '';
  return `${group}/${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export function filePath(o: KrmObject): string | undefined {
  const a = o.metadata?.annotations;
  return a?.[PATH_ANNOTATION] ?? a?.[LEGACY_PATH_ANNOTATION];
}

export function toResult(f: Finding, owner?: KrmObject): KrmResult {
  const r: KrmResult = { message: f.message, severity: f.severity };
  if (owner?.kind && owner.metadata?.name) {
    r.resourceRef = { apiVersion: owner.apiVersion ?? '', kind: owner.kind, name: owner.metadata.name };
    if (owner.metadata.namespace) r.resourceRef.namespace = owner.metadata.namespace;
  }
  if (f.field) {
    r.field = { path: f.field };
    if (f.value !== undefined && (typeof f.value !== 'object' || f.value === null)) r.field.currentValue = f.value;
  }
  const path = owner ? filePath(owner) : undefined;
  if (path) {
    const index = Number(owner?.metadata?.annotations?.[INDEX_ANNOTATION] ?? owner?.metadata?.annotations?.[LEGACY_INDEX_ANNOTATION] ?? NaN);
    r.file = Number.isInteger(index) ? { path, index } : { path };
  }
  return r;
}
