// Compiles the test contracts offline with the npm solc package and writes
// one JSON file per contract ({abi, bytecode}) for Go tests to embed.
//   node hack/chain/compile.mjs OUT_DIR FILE.sol...
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const solc = require("solc");
const here = path.dirname(fileURLToPath(import.meta.url));
const [outDir, ...files] = process.argv.slice(2);

const sources = {};
for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, "utf8") };
const findImports = (p) => {
  const full = path.join(here, "node_modules", p);
  return fs.existsSync(full) ? { contents: fs.readFileSync(full, "utf8") } : { error: "not found: " + p };
};
const input = {
  language: "Solidity", sources,
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun",
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
for (const e of out.errors ?? []) console.error(e.formattedMessage);
if ((out.errors ?? []).some((e) => e.severity === "error")) process.exit(1);
fs.mkdirSync(outDir, { recursive: true });
for (const [file, contracts] of Object.entries(out.contracts)) {
  if (!(file in sources)) continue;
  for (const [name, c] of Object.entries(contracts)) {
    const json = JSON.stringify({ contract: name, compiler: "solc " + solc.version(), abi: c.abi, bytecode: "0x" + c.evm.bytecode.object }, null, 1);
    fs.writeFileSync(path.join(outDir, name + ".json"), json + "\n");
  }
}
