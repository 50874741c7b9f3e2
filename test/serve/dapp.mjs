// A dapp's sign-in, built by the reference EIP-4361 library (siwe, with
// ethers for the wallet), against a running `streamgate serve`:
//
//   node dapp.mjs <endpoint base URL> <namespace/video> <0x private key> [<Origin header>]
//
// It asks /auth/nonce, builds the message with the values the endpoint
// advertises — domain, and uri exactly as given — signs it with
// personal_sign and posts /auth/verify. It prints {"status", "body"}.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "..", "hack", "chain", "package.json"));
const { SiweMessage } = require("siwe");
const { Wallet } = require("ethers");

const [base, video, key, origin] = process.argv.slice(2);
const headers = { "Content-Type": "application/json" };
if (origin) headers.Origin = origin;

const nonceRes = await fetch(base + "/auth/nonce", { method: "POST", headers, body: JSON.stringify({ video }) });
const n = await nonceRes.json();
if (!nonceRes.ok) {
  console.log(JSON.stringify({ status: nonceRes.status, body: n }));
  process.exit(0);
}
const cookie = nonceRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

const wallet = new Wallet(key);
const message = new SiweMessage({
  domain: n.domain,
  address: wallet.address,
  statement: "Sign in to watch " + video + ".",
  uri: n.uri,
  version: "1",
  chainId: Number(n.chainId),
  nonce: n.nonce,
  issuedAt: new Date().toISOString(),
  expirationTime: n.expiresAt,
}).prepareMessage();
const signature = await wallet.signMessage(message);

const res = await fetch(base + "/auth/verify", {
  method: "POST",
  headers: { ...headers, Cookie: cookie },
  body: JSON.stringify({ video, message, signature, scheme: "eip191" }),
});
console.log(JSON.stringify({ status: res.status, body: await res.json() }));
