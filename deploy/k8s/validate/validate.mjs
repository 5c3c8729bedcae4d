// Validates rendered Kubernetes manifests against the API's schemas, offline (kubernetes-models), and prints them
// as one JSON array for the invariant checks (tests/AkkaExchange.Node.Tests/DeploySpecs.cs).
//   node validate.mjs <rendered.yaml>     exit 0: valid, JSON on stdout; exit 1: each problem on stderr
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <rendered.yaml>");
  process.exit(2);
}
const documents = parseAllDocuments(readFileSync(file, "utf8")).map(d => d.toJS()).filter(d => d !== null);
const problems = [];
for (const doc of documents) {
  const name = `${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const path = group === "" ? `kubernetes-models/${version}/${doc.kind}` : `kubernetes-models/${group}/${version}/${doc.kind}`;
  let model;
  try {
    model = (await import(path))[doc.kind];
  } catch {
    problems.push(`${name}: no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new model(doc).validate();
  } catch (e) {
    problems.push(`${name}: ${e.message}`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
process.stdout.write(JSON.stringify(documents));
