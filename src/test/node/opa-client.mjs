// Drives a running Portcullis service with OPA's official TypeScript client, @styra/opa
// (pinned in package.json), the way an application written for OPA would.
//
// Usage: node opa-client.mjs <base-url> <bearer-token>
//
// The service must serve the ApiTestProfile bundle "gate" (entrypoints api/doc, api/version,
// api/undefined, ...) with portcullis.data.default-decision=api/doc. Prints one line per check
// ("ok <name>" or "FAIL <name>: reason") and finally exactly "opa-client: N passed, M failed";
// exits 1 when any check failed, 2 on usage errors.

import { OPAClient } from "@styra/opa";
import { OpaApiClient } from "@styra/opa/sdk/index.js";

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node opa-client.mjs <base-url> <bearer-token>");
  process.exit(2);
}

const headers = { Authorization: `Bearer ${token}` };
const client = new OPAClient(base, { headers });
const api = new OpaApiClient({ serverURL: base, bearerAuth: token });

let passed = 0;
let failed = 0;

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function check(name, fn) {
  try {
    const problem = await fn();
    if (problem) {
      failed++;
      console.log(`FAIL ${name}: ${problem}`);
    } else {
      passed++;
      console.log(`ok ${name}`);
    }
  } catch (err) {
    failed++;
    const text = err instanceof Error ? `${err.name}: ${err.message}` : JSON.stringify(err);
    console.log(`FAIL ${name}: threw ${text}`);
  }
}

await check("evaluate with input (POST /v1/data/api/doc)", async () => {
  const r = await client.evaluate("api/doc", { user: "eve" });
  return same(r, { allow: false, who: "eve" }) ? null : `got ${JSON.stringify(r)}`;
});

await check("evaluate without input (GET /v1/data/api/version)", async () => {
  const r = await client.evaluate("api/version");
  return typeof r === "number" && r >= 1 ? null : `got ${JSON.stringify(r)}`;
});

await check("a document below an entrypoint (api/doc/who)", async () => {
  const r = await client.evaluate("api/doc/who", { user: "eve" });
  return r === "eve" ? null : `got ${JSON.stringify(r)}`;
});

await check("a boolean below an entrypoint (api/doc/allow)", async () => {
  const r = await client.evaluate("api/doc/allow", { user: "admin" });
  return r === true ? null : `got ${JSON.stringify(r)}`;
});

await check("an undefined document is undefined (api/undefined)", async () => {
  const r = await client.evaluate("api/undefined", { user: "eve" });
  return r === undefined ? null : `got ${JSON.stringify(r)}`;
});

await check("an undefined member below an entrypoint (api/doc/nope)", async () => {
  const r = await client.evaluate("api/doc/nope", { user: "eve" });
  return r === undefined ? null : `got ${JSON.stringify(r)}`;
});

await check("the default decision (POST /)", async () => {
  const r = await client.evaluateDefault({ user: "admin" });
  return same(r, { allow: true, who: "admin" }) ? null : `got ${JSON.stringify(r)}`;
});

await check("pretty, provenance and strict-builtin-errors", async () => {
  const r = await api.executePolicyWithInput({
    path: "api/doc",
    requestBody: { input: { user: "eve" } },
    pretty: true,
    provenance: true,
    strictBuiltinErrors: true,
  });
  const body = r.successfulPolicyResponse;
  if (!body) return `no successful response: ${JSON.stringify(r)}`;
  if (!same(body.result, { allow: false, who: "eve" })) return `result ${JSON.stringify(body.result)}`;
  const rev = body.provenance?.bundles?.gate?.revision;
  if (typeof rev !== "string" || rev === "") return `provenance ${JSON.stringify(body.provenance)}`;
  if (typeof body.decisionId !== "string") return `decision id ${JSON.stringify(body)}`;
  return null;
});

await check("an unknown policy is an error, not a result", async () => {
  try {
    const r = await client.evaluate("api/missing", { user: "eve" });
    return `resolved with ${JSON.stringify(r)}`;
  } catch (err) {
    return null;
  }
});

await check("health with bundles (GET /health?bundles)", async () => {
  const r = await api.health(true);
  return r.healthyServer !== undefined ? null : `got ${JSON.stringify(r)}`;
});

console.log(`opa-client: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
