// Cross-checks Portcullis-compiled policies with the official OPA npm SDK.
//
// Usage: node crosscheck.mjs <dir>
//
// <dir> holds one subdirectory per case (written by NpmSdkCrossCheckTest):
//   policy.wasm   the compiled module
//   data.json     base data document
//   input.json    input document (absent = input is undefined)
//   expect.json   {"name", "file", "query", "want_result": [...]} or {..., "want_error": "substring"}
//
// Prints one line per failing case and finally exactly "crosscheck: N passed, M failed";
// exits 1 when any case failed (or none was found), 2 on usage errors.

import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";

const dir = process.argv[2];
if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error("usage: node crosscheck.mjs <case-directory>");
  process.exit(2);
}

// Bytes as a standalone ArrayBuffer: the SDK then hands the JSON text to opa_json_parse as is
// (no JSON.parse/stringify round trip, so no precision loss), and falsy inputs such as false, 0,
// "" or null are still passed (the SDK treats a falsy JS value as "no input").
function arrayBuffer(path) {
  const buf = readFileSync(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

// Canonical text: keys sorted; numbers as JS numbers (so 2 and 2.0 compare equal, as on the Java side).
function canonical(value) {
  if (Array.isArray(value)) {
    return "[" + value.map(canonical).join(",") + "]";
  }
  if (value !== null && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

function message(err) {
  if (err === undefined || err === null) return String(err);
  if (typeof err === "string") return err;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

const cases = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let passed = 0;
let failed = 0;

function fail(id, expect, why) {
  failed++;
  const label = expect && expect.name ? `${id} (${expect.name}${expect.file ? ", " + expect.file : ""})` : id;
  console.log(`FAIL ${label}: ${why}`);
}

for (const id of cases) {
  const caseDir = join(dir, id);
  let expect;
  try {
    expect = JSON.parse(readFileSync(join(caseDir, "expect.json"), "utf8"));
  } catch (e) {
    fail(id, null, `cannot read expect.json: ${message(e)}`);
    continue;
  }
  const inputPath = join(caseDir, "input.json");
  const input = existsSync(inputPath) ? arrayBuffer(inputPath) : undefined;

  let policy;
  try {
    policy = await loadPolicy(readFileSync(join(caseDir, "policy.wasm")));
    policy.setData(arrayBuffer(join(caseDir, "data.json")));
  } catch (e) {
    fail(id, expect, `loading the policy failed: ${message(e)}`);
    continue;
  }

  let result;
  let error;
  try {
    result = policy.evaluate(input, expect.query);
  } catch (e) {
    error = e;
  }

  if ("want_error" in expect) {
    if (error === undefined) {
      fail(id, expect, `expected an error containing ${JSON.stringify(expect.want_error)}, got result ${canonical(result)}`);
    } else if (!message(error).includes(expect.want_error)) {
      fail(id, expect, `error ${JSON.stringify(message(error))} does not contain ${JSON.stringify(expect.want_error)}`);
    } else {
      passed++;
    }
    continue;
  }

  if (error !== undefined) {
    fail(id, expect, `evaluation failed: ${message(error)}`);
    continue;
  }
  const want = canonical(expect.want_result);
  const got = canonical(result);
  if (want !== got) {
    fail(id, expect, `result differs\n    want: ${want}\n    got:  ${got}`);
  } else {
    passed++;
  }
}

if (passed + failed === 0) {
  console.log(`no cases found in ${dir}`);
}
console.log(`crosscheck: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
