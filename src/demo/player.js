// The clearsim demo player: draws the inline JSON (see src/demo/player.rs)
// as one SVG map per clearance mode and moves the consignments' dots along
// their routes as a shared clock runs. No library, no network.
//
// Test and lecture links read the URL hash: #t=H (go to H hours after the
// window's start), #step=N (step N events), #bg=1 (background load on),
// #modes=0,2 (panels shown), #follow=N (follow consignment N), #speed=K
// (K-th speed, 0 slowest), #play (start playing; #play=H: and pause at
// H hours), #bench (measure the frame rate with the background on;
// see the data-fps attribute).
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("player-data").textContent);
  // The SVG namespace, read from a static SVG element of the page.
  const NS = document.getElementById("legend-svg").namespaceURI;
  const L = D.layout;
  const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const SPEEDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16]; // simulated h per s
  const DOT = 3.4, DOT_STEP = 8.5, PER_ROW = 16;
  const TITLE_H = 16, POOL_H = 13;

  const st = {
    now: 0, playing: false, speed: 3, background: false,
    shown: D.modes.map((_, i) => i), follow: null, focus: 0, last: null,
    until: D.span, // where playing stops
    scripted: false, // playing on timer ticks (see schedule)
  };

  // ---- small helpers -------------------------------------------------------
  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, cls) {
    const t = el("text", { x: x, y: y, class: cls || "" }, parent);
    t.textContent = s;
    return t;
  }
  // "day D Www HH:MM" as the narration writes it (rounded to the minute).
  function clock(rel) {
    const minutes = Math.max(0, Math.round((D.t0 + rel) * 60));
    const day = Math.floor(minutes / 1440), rest = minutes % 1440;
    const pad = (n) => String(n).padStart(2, "0");
    return "day " + (day + 1) + " " + WEEKDAYS[(day + D.start_weekday) % 7] + " " +
      pad(Math.floor(rest / 60)) + ":" + pad(rest % 60);
  }
  // Last index i with rows[i][0] <= t (rows sorted by time), or -1.
  function lastAtOrBefore(rows, t) {
    let lo = 0, hi = rows.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid][0] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  // The path of a dot of channel ch, centred on 0,0 (shapes differ in grey).
  function shapePath(ch, r) {
    switch (D.channels[ch].shape) {
      case "square": return "M" + -r + "," + -r + "h" + 2 * r + "v" + 2 * r + "h" + -2 * r + "z";
      case "diamond": { const q = r * 1.3; return "M0," + -q + "L" + q + ",0L0," + q + "L" + -q + ",0z"; }
      case "triangle": { const q = r * 1.3; return "M0," + -q + "L" + q + "," + q * 0.8 + "L" + -q + "," + q * 0.8 + "z"; }
      default: return "M" + -r + ",0a" + r + "," + r + " 0 1,0 " + 2 * r + ",0a" + r + "," + r + " 0 1,0 " + -2 * r + ",0";
    }
  }

  // ---- where a consignment is at time t ------------------------------------
  // Returns { key, place, phase: "q" (queueing) | "w" (in work) | "t"
  // (on the road), step, frac } or null when it is not (yet, any more) there.
  // The key names the state for the tests: it changes exactly at the
  // consignment's event times.
  function where(d, t) {
    if (t < d.arr) return null;
    if (d.gone !== null && t >= d.gone) return null;
    let i = -1;
    for (let k = 0; k < d.steps.length; k++) if (d.steps[k][3] <= t) i = k;
    const rel = d.released !== null && t >= d.released ? "R" : "";
    if (i < 0) return { key: "a" + rel, place: -1, phase: "a" };
    const [place, , pool, , start, end] = d.steps[i];
    let phase, frac = 0;
    if (start === null || t < start) phase = "q";
    else if (end === null || t < end) {
      phase = L.places[place].kind === "road" ? "t" : "w";
      frac = end === null ? 0 : (t - start) / Math.max(end - start, 1e-9);
    } else phase = "d"; // done, the next step not yet reached
    return { key: phase + i + rel, place: place, phase: phase, pool: pool, step: i, frac: frac };
  }
  // Every time at which some shown consignment changes state.
  function eventTimes() {
    const set = new Set();
    for (const m of st.shown) for (const d of D.modes[m].dots) {
      if (!d.followed && !st.background) continue;
      set.add(d.arr);
      for (const s of d.steps) for (const x of [s[3], s[4], s[5]]) if (x !== null) set.add(x);
      for (const x of [d.released, d.seized, d.gone]) if (x !== null) set.add(x);
    }
    return Array.from(set).filter((x) => x >= 0 && x <= D.span).sort((a, b) => a - b);
  }

  // ---- building the panels -------------------------------------------------
  const panelsEl = document.getElementById("panels");
  const panels = D.modes.map((m, mi) => buildPanel(m, mi));

  function buildPanel(m, mi) {
    const box = document.createElement("section");
    box.className = "panel";
    const head = document.createElement("header");
    const name = document.createElement("h2");
    name.textContent = m.name;
    name.title = m.explain;
    const clk = document.createElement("span");
    clk.className = "clock";
    const counts = document.createElement("span");
    counts.className = "counts";
    head.append(name, clk, counts);
    box.appendChild(head);
    const svg = el("svg", { viewBox: "0 0 " + L.width + " " + L.height, role: "img" }, box);
    el("title", {}, svg).textContent = m.name + ": " + m.explain;
    for (const r of L.regions) {
      el("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 8, class: "region" }, svg);
      // The name, cut to the box (the full name in its tooltip).
      const room = Math.max(4, Math.floor((r.w - 12) / 5.3));
      const label = r.name.length > room ? r.name.slice(0, room - 1) + "…" : r.name;
      el("title", {}, text(svg, r.x + 6, r.y + 11, label, "region-label")).textContent = r.name;
    }
    const pools = [];
    for (const p of L.places) {
      if (p.kind === "road") {
        if (p.from === null) continue;
        const a = L.places[p.from], b = L.places[p.to];
        el("line", { x1: a.x + a.w, y1: a.y + a.h / 2, x2: b.x, y2: b.y + b.h / 2, class: "road" }, svg);
        continue;
      }
      const g = el("g", { class: "place " + p.kind }, svg);
      el("title", {}, g).textContent = p.name;
      el("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: 4, class: "box" }, g);
      text(g, p.x + 4, p.y + 11, p.id, "place-label");
      p.pools.forEach((pi, k) => {
        const y = p.y + TITLE_H + k * POOL_H;
        const pool = L.pools[pi];
        const row = el("g", { class: "pool" }, g);
        el("title", {}, row).textContent = pool.id + ": busy servers / capacity; hatched when closed";
        text(row, p.x + 4, y + 9, pool.label, "pool-label");
        const bx = p.x + 70, bw = 34;
        el("rect", { x: bx, y: y + 2, width: bw, height: 8, class: "bar" }, row);
        const fill = el("rect", { x: bx, y: y + 2, width: 0, height: 8, class: "busy" }, row);
        const shut = el("rect", { x: p.x + 1, y: y, width: p.w - 2, height: POOL_H - 1, class: "closed" }, row);
        const label = text(row, bx + bw + 3, y + 9, "", "pool-count");
        pools.push({ i: pi, fill: fill, shut: shut, label: label, w: bw, cap: pool.capacity });
      });
      const y0 = p.y + TITLE_H + p.pools.length * POOL_H;
      // "+N" where a row of dots overflows: in work, queueing.
      text(g, p.x + p.w - 4, y0 + 9, "", "overflow");
      text(g, p.x + p.w - 4, y0 + 20, "", "overflow");
    }
    const dotLayer = el("g", { class: "dots" }, svg);
    const dots = m.dots.map((d) => {
      const e = el("path", { d: shapePath(d.ch, d.followed ? DOT * 1.4 : DOT), fill: D.channels[d.ch].colour,
        class: d.followed ? "dot followed" : "dot", "data-c": mi + ":" + d.n, "data-state": "-" }, dotLayer);
      e.style.display = "none";
      e.addEventListener("click", () => follow(d.n, mi));
      return { d: d, e: e, key: "-" };
    });
    panelsEl.appendChild(box);
    return { box: box, clk: clk, counts: counts, pools: pools, dots: dots, m: m };
  }

  // ---- drawing one frame ---------------------------------------------------
  function render() {
    const started = bench.on ? performance.now() : 0;
    draw();
    if (bench.on) bench.work += performance.now() - started;
  }
  function draw() {
    const t = st.now;
    const moved = [];
    let shownDots = 0;
    for (let mi = 0; mi < panels.length; mi++) {
      const P = panels[mi];
      P.box.hidden = !st.shown.includes(mi);
      if (P.box.hidden) continue;
      P.clk.textContent = clock(t);
      // Place the dots: rows of work and of queue in each place's box.
      const work = new Map(), queue = new Map();
      let released = 0, seized = 0, waiting = 0, inside = 0;
      for (const o of P.dots) {
        const d = o.d;
        const visible = d.followed || st.background;
        const w = visible ? where(d, t) : null;
        if (visible) {
          if (d.released !== null && t >= d.released) released++;
          else if (d.seized !== null && t >= d.seized) seized++;
          else if (t >= d.arr) { inside++; if (w && w.phase === "q") waiting++; }
        }
        const key = visible ? (w ? w.key : t < d.arr ? "-" : "x") : "off";
        if (key !== o.key) {
          if (o.key !== "off" && key !== "off") moved.push(mi + ":" + d.n);
          o.key = key;
          o.e.setAttribute("data-state", key);
        }
        o.w = w;
        if (!w || w.place < 0) { o.e.style.display = "none"; continue; }
        o.e.style.display = "";
        shownDots++;
        const p = L.places[w.place];
        if (p.kind === "road" && p.from !== null) {
          const a = L.places[p.from], b = L.places[p.to];
          const f = w.phase === "t" ? w.frac : w.phase === "d" ? 1 : 0;
          const x = a.x + a.w + (b.x - a.x - a.w) * f, y = a.y + a.h / 2 + (b.y - a.y + (b.h - a.h) / 2) * f;
          o.e.setAttribute("transform", "translate(" + x.toFixed(1) + "," + y.toFixed(1) + ")");
          continue;
        }
        const rows = w.phase === "q" ? queue : work;
        if (!rows.has(w.place)) rows.set(w.place, []);
        rows.get(w.place).push(o);
      }
      for (const [rows, queued] of [[work, false], [queue, true]]) {
        for (const [pi, list] of rows) {
          const p = L.places[pi];
          const y = p.y + TITLE_H + p.pools.length * POOL_H + (queued ? 17 : 6);
          // Each row leaves room for its "+N".
          const room = PER_ROW - 2;
          list.forEach((o, k) => {
            if (k >= room) { o.e.style.display = "none"; return; }
            o.e.setAttribute("transform", "translate(" + (p.x + 6 + k * DOT_STEP) + "," + y + ")");
          });
        }
      }
      drawOverflow(P, work, queue);
      // Pools: busy servers against capacity, hatched while closed.
      for (const q of P.pools) {
        const rows = P.m.occupancy[q.i];
        const r = rows[Math.max(0, lastAtOrBefore(rows, t))];
        const busy = r[2], cap = Math.max(q.cap, 1);
        q.fill.setAttribute("width", (q.w * Math.min(busy, cap) / cap).toFixed(1));
        q.label.textContent = busy + "/" + q.cap + (r[1] > 0 ? " q" + r[1] : "");
        const closed = L.pools[q.i].closed.some((c) => t >= c[0] && t < c[1]);
        q.shut.style.display = closed ? "" : "none";
      }
      P.counts.textContent = "released " + released + " · seized " + seized + " · waiting " + waiting +
        " · in clearance " + inside;
    }
    document.getElementById("time").value = st.now;
    document.getElementById("speed").textContent = SPEEDS[st.speed] + " h/s";
    document.getElementById("play").textContent = st.playing ? "⏸ pause" : "▶ play";
    document.body.dataset.t = st.now.toFixed(3);
    bench.visible += shownDots;
    if (st.last !== null) document.body.dataset.moved = moved.sort().join(" ");
    st.last = st.now;
    narrate();
  }
  // "+N" at the end of a row of dots that overflows its box (two texts per
  // box, in the order of the places: in work, queueing).
  function drawOverflow(P, work, queue) {
    const texts = P.box.querySelectorAll("text.overflow");
    let k = 0;
    L.places.forEach((p, pi) => {
      if (p.kind === "road") return;
      for (const rows of [work, queue]) {
        const list = rows.get(pi);
        const n = list ? list.length - (PER_ROW - 2) : 0;
        texts[k++].textContent = n > 0 ? "+" + n : "";
      }
    });
  }

  // ---- following a consignment ---------------------------------------------
  function follow(n, mi) {
    st.follow = n;
    st.focus = mi;
    for (const P of panels) for (const o of P.dots) o.e.classList.toggle("selected", o.d.n === n);
    render();
  }
  // The followed consignment's lines so far, in the focused panel's mode.
  function narrate() {
    const out = document.getElementById("narration");
    const head = document.getElementById("narration-head");
    if (st.follow === null) {
      head.textContent = "Click a consignment (or press f) to follow it.";
      out.replaceChildren();
      return;
    }
    const P = panels[st.focus];
    const o = P.dots.find((x) => x.d.n === st.follow);
    head.textContent = "#" + st.follow + " under " + P.m.name;
    if (!o) { out.replaceChildren(); return; }
    const lines = o.d.lines.length ? o.d.lines : crowdLines(o.d);
    const shown = lines.filter((l) => l[0] <= st.now + 1e-9);
    if (out.childElementCount === shown.length && out.dataset.n === String(st.follow) + st.focus) return;
    out.dataset.n = String(st.follow) + st.focus;
    out.replaceChildren(...shown.map((l, i) => {
      const li = document.createElement("li");
      li.textContent = l[1];
      if (i === shown.length - 1) li.className = "latest";
      return li;
    }));
    out.scrollTop = out.scrollHeight;
  }
  // A background consignment has no narration: its steps, briefly.
  function crowdLines(d) {
    const lines = [[d.arr, D.channels[d.ch].name + " #" + d.n + " arrived " + clock(d.arr) + " (background load)"]];
    for (const s of d.steps) {
      const when = s[4] === null ? "waiting" : clock(s[4]) + (s[5] === null ? "" : " → " + clock(s[5]));
      lines.push([s[4] === null ? s[3] : s[4], L.places[s[0]].id + " · " + D.steps[s[1]] + " " + when]);
    }
    if (d.released !== null) lines.push([d.released, "=> released " + clock(d.released)]);
    if (d.seized !== null) lines.push([d.seized, "=> seized " + clock(d.seized)]);
    return lines;
  }
  // The next followed consignment (key f), in the first panel shown.
  function followNext() {
    const mi = st.shown[0];
    const list = D.modes[mi].dots.filter((d) => d.followed).map((d) => d.n);
    if (!list.length) return;
    const k = list.indexOf(st.follow);
    follow(list[(k + 1) % list.length], mi);
  }

  // ---- controls ------------------------------------------------------------
  function seek(t) { st.now = Math.min(Math.max(t, 0), D.span); render(); }
  function step(dir) {
    const ev = eventTimes();
    const t = dir > 0 ? ev.find((x) => x > st.now + 1e-9) : ev.filter((x) => x < st.now - 1e-9).pop();
    st.playing = false;
    seek(t === undefined ? (dir > 0 ? D.span : 0) : t);
  }
  let lastFrame = null;
  function frame(ts) {
    if (!st.playing) { lastFrame = null; return; }
    if (lastFrame !== null) st.now += (ts - lastFrame) / 1000 * SPEEDS[st.speed];
    lastFrame = ts;
    if (st.now >= st.until) { st.now = st.until; st.playing = false; st.scripted = false; }
    render();
    bench.tick(ts);
    schedule();
  }
  // The next frame: at the display's rate, or, for a scripted play (#play),
  // every 33 ms of the page's clock, so that Chromium's virtual time (tests)
  // plays the same frames however busy the machine is.
  function schedule() {
    if (st.scripted) setTimeout(() => frame(performance.now()), 33);
    else requestAnimationFrame(frame);
  }
  function play(on) {
    st.playing = on === undefined ? !st.playing : on;
    if (st.playing && st.now >= st.until) st.until = D.span; // a scripted stop is passed
    if (st.playing && st.now >= D.span) st.now = 0;
    render();
    if (st.playing) schedule();
  }
  function speed(by) { st.speed = Math.min(Math.max(st.speed + by, 0), SPEEDS.length - 1); render(); }
  function setBackground(on) {
    st.background = on;
    document.getElementById("background").checked = on;
    render();
  }
  function toggleMode(mi) {
    if (mi >= panels.length) return;
    const on = st.shown.includes(mi);
    if (on && st.shown.length <= 1) return;
    st.shown = on ? st.shown.filter((x) => x !== mi) : st.shown.concat([mi]).sort();
    if (!st.shown.includes(st.focus)) st.focus = st.shown[0];
    document.querySelectorAll("#modes input")[mi].checked = !on;
    panelsEl.dataset.count = st.shown.length;
    render();
  }

  document.getElementById("time").max = D.span;
  document.getElementById("time").addEventListener("input", (e) => { st.playing = false; seek(+e.target.value); });
  document.getElementById("play").addEventListener("click", () => play());
  document.getElementById("next").addEventListener("click", () => step(1));
  document.getElementById("prev").addEventListener("click", () => step(-1));
  document.getElementById("slower").addEventListener("click", () => speed(-1));
  document.getElementById("faster").addEventListener("click", () => speed(1));
  document.getElementById("background").addEventListener("change", (e) => setBackground(e.target.checked));
  const modesEl = document.getElementById("modes");
  D.modes.forEach((m, mi) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", () => toggleMode(mi));
    label.append(box, " " + (mi + 1) + " " + m.name);
    modesEl.appendChild(label);
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.tagName === "INPUT" && e.target.type === "range" && e.key.startsWith("Arrow")) e.preventDefault();
    const k = e.key;
    if (k === " ") play();
    else if (k === "ArrowRight") step(1);
    else if (k === "ArrowLeft") step(-1);
    else if (k === "+" || k === "=") speed(1);
    else if (k === "-" || k === "_") speed(-1);
    else if (k === "Home") { st.playing = false; seek(0); }
    else if (k === "End") { st.playing = false; seek(D.span); }
    else if (k === "b") setBackground(!st.background);
    else if (k === "f") followNext();
    else if (k === "Escape") { st.follow = null; follow(null, st.focus); }
    else if (k >= "1" && k <= "5") toggleMode(+k - 1);
    else return;
    e.preventDefault();
  });

  // ---- frame-rate measurement (#bench) ---------------------------------------
  // Plays 120 frames from the moment most dots are on the map (background
  // on) and writes the frame rate, the drawing time per frame and the dots
  // drawn per frame into the body's data attributes.
  const bench = {
    on: false, times: [], work: 0, visible: 0,
    start() {
      let best = 0, most = -1;
      for (let k = 0; k <= 200; k++) {
        const t = D.span * k / 200;
        let n = 0;
        for (const m of st.shown) for (const d of D.modes[m].dots) { const w = where(d, t); if (w && w.place >= 0) n++; }
        if (n > most) { most = n; best = t; }
      }
      st.now = best;
      st.speed = 1;
      this.on = true;
      this.work = 0;
      this.visible = 0;
      play(true);
    },
    tick(ts) {
      if (!this.on) return;
      this.times.push(ts);
      if (this.times.length === 1) { this.work = 0; this.visible = 0; }
      if (this.times.length === 121) {
        const span = this.times[120] - this.times[0];
        document.body.dataset.fps = (120000 / span).toFixed(1);
        document.body.dataset.renderMs = (this.work / 120).toFixed(2);
        document.body.dataset.visible = Math.round(this.visible / 120);
        this.on = false;
        st.playing = false;
      }
    },
  };

  // ---- start: the URL hash's test and lecture controls -----------------------
  const opts = new Map(location.hash.slice(1).split("&").filter(Boolean)
    .map((kv) => { const [k, v] = kv.split("="); return [k, v === undefined ? "" : decodeURIComponent(v)]; }));
  panelsEl.dataset.count = st.shown.length;
  if (opts.has("modes")) {
    const want = opts.get("modes").split(",").map(Number);
    D.modes.forEach((_, mi) => { if (!want.includes(mi)) toggleMode(mi); });
  }
  if (opts.get("bg") === "1" || opts.has("bench")) setBackground(true);
  if (opts.has("speed")) st.speed = Math.min(Math.max(+opts.get("speed") || 0, 0), SPEEDS.length - 1);
  if (opts.has("t")) st.now = Math.min(Math.max(+opts.get("t") || 0, 0), D.span);
  if (opts.has("follow")) follow(+opts.get("follow"), st.shown[0]);
  render();
  if (opts.has("step")) for (let i = 0; i < +opts.get("step"); i++) step(1);
  if (opts.has("bench")) bench.start();
  else if (opts.has("play")) {
    if (opts.get("play") !== "") st.until = Math.min(Math.max(+opts.get("play") || 0, 0), D.span);
    st.scripted = true;
    play(true);
  }
  document.body.dataset.ready = "1";
})();
