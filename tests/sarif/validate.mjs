#!/usr/bin/env node
// validate.mjs - check SARIF logs written by redislint.
//
//   node tests/sarif/validate.mjs FILE.sarif...
//
// Each file is checked twice:
//  1. against the official SARIF 2.1.0 JSON schema (draft-04), as shipped in
//     @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json);
//  2. against the essentials GitHub code scanning needs to ingest a log
//     (see checkGitHub below).
// Every problem is printed as "FILE: <where>: <what>". Exit status: 0 when all
// files pass, 1 when any check fails, 2 on a usage error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const SCHEMA_PATH = require.resolve(
  "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
);

// The schema's "language" pattern has a stray "]" that is a syntax error
// under the regex unicode flag Ajv uses; escape it (same meaning as without
// the flag: a literal "]").
const BAD_PATTERN = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const FIXED_PATTERN = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$";

function patchPatterns(node) {
  if (Array.isArray(node)) {
    node.forEach(patchPatterns);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "pattern" && value === BAD_PATTERN) node[key] = FIXED_PATTERN;
      else patchPatterns(value);
    }
  }
}

function loadValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
  patchPatterns(schema);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function checkSchema(validate, log, report) {
  if (validate(log)) return;
  for (const e of validate.errors) {
    const params = JSON.stringify(e.params);
    report(`schema: ${e.instancePath || "/"}: ${e.message} ${params}`);
  }
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

// Every artifactLocation in the log: relative URIs need a uriBaseId and
// absolute ones must not have one (GitHub then cannot map the file).
function checkArtifactLocations(node, where, report) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => checkArtifactLocations(v, `${where}/${i}`, report));
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const here = `${where}/${key}`;
    if (key === "artifactLocation" && value && typeof value === "object") {
      const uri = value.uri;
      if (typeof uri !== "string" || uri === "") report(`${here}: no uri`);
      else if (value.uriBaseId !== undefined && (SCHEME.test(uri) || uri.startsWith("/")))
        report(`${here}: absolute uri ${JSON.stringify(uri)} with a uriBaseId`);
    }
    checkArtifactLocations(value, here, report);
  }
}

// GitHub ranks a rule's alerts as security alerts by
// properties["security-severity"]: a number from 0.0 to 10.0 written as a
// string ("7.5"), on a rule tagged "security"; anything else is ignored, so
// the rule would silently rank as a plain warning.
const SCORE = /^(10(\.0+)?|[0-9](\.[0-9]+)?)$/;

function checkSecuritySeverity(rule, where, report) {
  const props = rule.properties ?? {};
  if (!("security-severity" in props)) return;
  const score = props["security-severity"];
  if (typeof score !== "string" || !SCORE.test(score))
    report(`${where}/properties/security-severity: ${JSON.stringify(score)} is not a string holding a score 0.0-10.0`);
  if (!Array.isArray(props.tags) || !props.tags.includes("security"))
    report(`${where}/properties/tags: a rule with a security-severity needs the tag "security"`);
}

function checkRules(run, report) {
  const rules = run.tool?.driver?.rules ?? [];
  const seen = new Set();
  rules.forEach((r, i) => {
    const where = `/runs/0/tool/driver/rules/${i}`;
    if (typeof r.id !== "string" || r.id === "") report(`${where}: no id`);
    else if (seen.has(r.id)) report(`${where}: duplicate id ${r.id}`);
    seen.add(r.id);
    checkSecuritySeverity(r, where, report);
  });
  return rules;
}

function checkLocation(res, where, report) {
  const loc = Array.isArray(res.locations) ? res.locations[0] : undefined;
  const phys = loc?.physicalLocation;
  if (!phys) {
    report(`${where}: no locations[0].physicalLocation`);
    return;
  }
  if (typeof phys.artifactLocation?.uri !== "string")
    report(`${where}: no physicalLocation.artifactLocation.uri`);
  const line = phys.region?.startLine;
  if (!Number.isInteger(line) || line < 1) report(`${where}: region.startLine must be >= 1`);
}

function checkFingerprints(res, where, report) {
  const fp = res.partialFingerprints;
  if (!fp || typeof fp !== "object" || Object.keys(fp).length === 0)
    report(`${where}: no partialFingerprints`);
  if (fp && "primaryLocationLineHash" in fp)
    report(`${where}: partialFingerprints.primaryLocationLineHash is the upload action's to compute`);
  if (res.fingerprints && "primaryLocationLineHash" in res.fingerprints)
    report(`${where}: fingerprints.primaryLocationLineHash is the upload action's to compute`);
}

function checkResult(res, i, rules, report) {
  const where = `/runs/0/results/${i}`;
  if (typeof res.ruleId !== "string" || res.ruleId === "") report(`${where}: no ruleId`);
  if (typeof res.message?.text !== "string" || res.message.text === "")
    report(`${where}: no message.text`);
  if (res.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId)
    report(`${where}: ruleIndex ${res.ruleIndex} does not name rule ${res.ruleId}`);
  checkLocation(res, where, report);
  checkFingerprints(res, where, report);
}

// What GitHub code scanning needs to ingest the log and track alerts.
function checkGitHub(log, report) {
  if (!Array.isArray(log.runs) || log.runs.length !== 1) {
    report(`/runs: expected exactly one run, found ${log.runs?.length ?? 0}`);
    if (!Array.isArray(log.runs) || log.runs.length === 0) return;
  }
  const run = log.runs[0];
  if (typeof run.tool?.driver?.name !== "string") report("/runs/0/tool/driver: no name");
  const rules = checkRules(run, report);
  (run.results ?? []).forEach((res, i) => checkResult(res, i, rules, report));
  checkArtifactLocations(run, "/runs/0", report);
}

function validateFile(validate, file) {
  let failures = 0;
  const report = (msg) => {
    failures++;
    console.error(`${file}: ${msg}`);
  };
  let log;
  try {
    log = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    report(`cannot read JSON: ${err.message}`);
    return false;
  }
  checkSchema(validate, log, report);
  if (log && typeof log === "object") checkGitHub(log, report);
  else report("not a JSON object");
  if (failures === 0) console.log(`${file}: ok`);
  return failures === 0;
}

function main(argv) {
  if (argv.length === 0) {
    console.error("usage: node validate.mjs FILE.sarif...");
    return 2;
  }
  const validate = loadValidator();
  let ok = true;
  for (const file of argv) ok = validateFile(validate, file) && ok;
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
