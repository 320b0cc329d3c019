// Measures the demo player's frame rate in real (not virtual) time:
//   node --experimental-websocket .ci/player-fps.mjs DIR/demo.html
// Starts headless Chromium at 1280x720 with a local DevTools port, opens
// the page with #bench (background load on, 120 frames played from the
// moment most dots are on the map) and prints the page's own measurement:
// frames per second, milliseconds of drawing per frame, dots drawn.
// A measuring tool, not a CI gate: the number depends on the machine's load.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const page = resolve(process.argv[2] ?? "output/demo/demo.html");
const profile = mkdtempSync(join(tmpdir(), "player-fps-"));
const chrome = spawn("chromium", ["--headless", "--no-sandbox", "--no-first-run", "--disable-gpu",
  "--window-size=1280,720", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
  { stdio: "ignore" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  // Chromium writes its DevTools port into the profile once it listens.
  let port = null;
  for (let i = 0; i < 100 && port === null; i++) {
    await sleep(100);
    try { port = readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n")[0] || null; } catch { /* not yet */ }
  }
  if (port === null) throw new Error("chromium did not open its DevTools port");
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets.find((t) => t.type === "page").webSocketDebuggerUrl);
  await new Promise((r) => ws.addEventListener("open", r));
  let id = 0;
  const pending = new Map();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(e.data);
    if (pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
  });
  const call = (method, params) => new Promise((r) => { pending.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
  await call("Page.navigate", { url: `file://${page}#bench` });
  let result = null;
  for (let i = 0; i < 120 && result === null; i++) {
    await sleep(250);
    const r = await call("Runtime.evaluate", { expression: "JSON.stringify(document.body && document.body.dataset)", returnByValue: true });
    const data = JSON.parse(r?.result?.value ?? "{}");
    if (data.fps) result = data;
  }
  if (result === null) throw new Error("the page did not report a frame rate within 30 s");
  console.log(`${result.fps} frames/s, ${result.renderMs} ms drawing per frame, ${result.visible} dots drawn per frame`);
  ws.close();
} finally {
  chrome.kill();
  await sleep(200);
  rmSync(profile, { recursive: true, force: true });
}
