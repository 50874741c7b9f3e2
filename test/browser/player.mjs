// Opens the player page in Debian's headless Chromium (driven by
// playwright-core), signs in through an injected EIP-1193 provider whose
// key signs with foundry's cast, and waits until the video plays past 2 s.
// Shared by watch.mjs and failover.mjs.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

// playwright-core lives in hack/chain/node_modules (STREAMGATE_NODE_MODULES).
const require = createRequire(process.env.STREAMGATE_NODE_MODULES + "/");
const { chromium } = require("playwright-core");

export async function playSignedIn(url, key, address, cast) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
  });
  const httpErrors = [];
  const page = await browser.newPage();
  page.on("console", (m) => console.error("page:", m.text()));
  page.on("response", (r) => { if (r.status() >= 400) httpErrors.push(r.status() + " " + new URL(r.url()).pathname); });
  page.on("requestfailed", (r) => httpErrors.push("failed " + new URL(r.url()).pathname + " " + (r.failure() || {}).errorText));
  await page.exposeFunction("__walletSign", (hexMessage) => {
    const text = Buffer.from(hexMessage.slice(2), "hex").toString("utf8");
    return execFileSync(cast, ["wallet", "sign", "--private-key", key, text]).toString().trim();
  });
  await page.addInitScript((account) => {
    window.ethereum = {
      isStreamGateTestWallet: true,
      request: async ({ method, params }) => {
        if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
        if (method === "personal_sign") return window.__walletSign(params[0]);
        throw new Error("unsupported " + method);
      },
    };
  }, address);
  await page.goto(url);
  await page.click("#connect");
  await page.waitForFunction(() => document.getElementById("video").currentTime > 2, null, { timeout: 60000 });
  return { browser, page, httpErrors };
}
