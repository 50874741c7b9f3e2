// Plays a video in Debian's headless Chromium (as watch.mjs), prints
// "PLAYING" once it has played 2 s, then watches playback until the video
// ends or MAX_SECONDS pass, and prints what it saw as JSON: the longest time
// the picture stood still while it should have played (a stall), the time
// played, and the HTTP errors the page got.
//   node failover.mjs WATCH_URL PRIVATE_KEY ADDRESS CAST MAX_SECONDS
import { playSignedIn } from "./player.mjs";

const [url, key, address, cast, maxSeconds] = process.argv.slice(2);
const { browser, page, httpErrors } = await playSignedIn(url, key, address, cast);
try {
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
