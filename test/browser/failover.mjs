// Plays a video in Debian's headless Chromium (as watch.mjs), prints
// "PLAYING" once it has played 2 s, then watches playback until the video
// ends or MAX_SECONDS pass, and prints what it saw as JSON: the longest time
// the picture stood still while it should have played (a stall), the time
// played, and the HTTP errors the page got.
//   node failover.mjs WATCH_URL PRIVATE_KEY ADDRESS CAST MAX_SECONDS
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(process.env.STREAMGATE_NODE_MODULES + "/");
const { chromium } = require("playwright-core");

const [url, key, address, cast, maxSeconds] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
});
const httpErrors = [];
try {
  const page = await browser.newPage();
  page.on("response", (r) => { if (r.status() >= 400) httpErrors.push(r.status() + " " + new URL(r.url()).pathname); });
  page.on("requestfailed", (r) => httpErrors.push("failed " + new URL(r.url()).pathname + " " + (r.failure() || {}).errorText));
  await page.exposeFunction("__walletSign", (hexMessage) => {
    const text = Buffer.from(hexMessage.slice(2), "hex").toString("utf8");
    return execFileSync(cast, ["wallet", "sign", "--private-key", key, text]).toString().trim();
  });
  await page.addInitScript((account) => {
    window.ethereum = {
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
  console.log("PLAYING");
  // Sample the playhead every 100 ms in the page: a stall is wall time
  // during which it did not move, though the video had not ended.
  const result = await page.evaluate(async (max) => {
    const video = document.getElementById("video");
    const began = performance.now();
    let last = video.currentTime, stillSince = performance.now(), longest = 0;
    while (!video.ended && performance.now() - began < max * 1000) {
      await new Promise((r) => setTimeout(r, 100));
      const now = performance.now();
      if (video.currentTime !== last) {
        last = video.currentTime;
        stillSince = now;
      } else {
        longest = Math.max(longest, now - stillSince);
      }
    }
    return { longestStallMs: Math.round(longest), played: video.currentTime, ended: video.ended };
  }, Number(maxSeconds));
  result.httpErrors = httpErrors;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
