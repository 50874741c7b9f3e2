// Plays a gated video in headless Chromium past 2 s (player.mjs), prints
// the player's state and takes a screenshot.
//   node watch.mjs WATCH_URL PRIVATE_KEY ADDRESS CAST SCREENSHOT
import { playSignedIn } from "./player.mjs";

const [url, key, address, cast, screenshot] = process.argv.slice(2);
const { browser, page, httpErrors } = await playSignedIn(url, key, address, cast).catch((e) => { console.log(String(e)); process.exit(1); });
try {
  for (const e of httpErrors) console.error("page: HTTP", e);
  const state = await page.evaluate(() => ({ time: document.getElementById("video").currentTime, status: document.getElementById("status").textContent }));
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify(state));
} finally {
  await browser.close();
}
