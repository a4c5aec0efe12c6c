// A loopback stand-in for the Compute API's GET /compute/v1/projects/{p}/global/securityPolicies/{name}.
import { loopback, sendJson, type Loopback } from './helpers';

export interface ComputeDouble extends Loopback {
  /** name -> REST JSON of the policy, or an HTTP status to fail with. */
  policies: Map<string, unknown | number>;
}

const PATH = /^\/compute\/v1\/projects\/([^/]+)\/global\/securityPolicies\/([^/]+)$/;

export async function computeDouble(): Promise<ComputeDouble> {
  const policies = new Map<string, unknown | number>();
  const server = await loopback((req, res, url) => {
    const m = PATH.exec(url.pathname);
    if (req.method !== 'GET' || !m) return sendJson(res, 400, { error: { code: 400, message: `unexpected ${req.method} ${url.pathname}` } });
    const [, project, name] = m;
    const entry = policies.get(name!);
    const resource = `projects/${project}/global/securityPolicies/${name}`;
    if (entry === undefined || entry === 404) {
      return sendJson(res, 404, { error: { code: 404, message: `The resource '${resource}' was not found`, errors: [{ message: `The resource '${resource}' was not found`, domain: 'global', reason: 'notFound' }] } });
    }
    if (entry === 403) {
      return sendJson(res, 403, { error: { code: 403, message: `Required 'compute.securityPolicies.get' permission for '${resource}'`, errors: [{ domain: 'global', reason: 'forbidden' }] } });
    }
    if (typeof entry === 'number') return sendJson(res, entry, { error: { code: entry, message: `status ${entry}` } });
    return sendJson(res, 200, { kind: 'compute#securityPolicy', selfLink: `https://www.googleapis.com/compute/v1/${resource}`, fingerprint: 'AAAA=', ...(entry as object) });
  });
  return Object.assign(server, { policies });
}

/** The REST JSON Cloud Armor would hold after applying a rendered ComputeSecurityPolicy. */
export function restFromManifest(manifest: { spec: { resourceID: string; description: string; type: string; rule: unknown[] } }): Record<string, unknown> {
  return {
    name: manifest.spec.resourceID,
    description: manifest.spec.description,
    type: manifest.spec.type,
    rules: structuredClone(manifest.spec.rule).map((r) => ({ kind: 'compute#securityPolicyRule', ...(r as object) })),
  };
}
