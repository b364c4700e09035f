// Cordon checkpoint station: polls the station's state, puts open alerts over everything until an
// officer acknowledges them, and screens names, zones, plates and passes from the local copy.
// Every text from the server is set with textContent, never parsed as HTML.

const $ = (id) => document.getElementById(id);
// Times are written in the browser's own zone, which the header names.
const state = {
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  snapshot: null,
  shownSent: new Set(),
  beepAt: 0,
  audio: null,
};

function make(tag, text, attributes = {}) {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function time(iso, withDate = false) {
  if (!iso) return "";
  const options = { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: state.zone };
  if (withDate) Object.assign(options, { year: "numeric", month: "2-digit", day: "2-digit" });
  try {
    return new Intl.DateTimeFormat("en-GB", options).format(new Date(iso));
  } catch {
    return iso;
  }
}

function age(iso, now) {
  const seconds = Math.max(0, (new Date(now) - new Date(iso)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s old`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min old`;
  if (seconds < 3 * 86400) return `${Math.round(seconds / 3600)} h old`;
  return `${Math.round(seconds / 86400)} days old`;
}

async function call(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json", "X-Cordon-Station": "1" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = new Error((data && data.detail) || `the station answered ${response.status}`);
    problem.status = response.status;
    problem.field = data && data.errors && data.errors[0] ? data.errors[0].field : null;
    throw problem;
  }
  return data;
}

// --- State --------------------------------------------------------------------------------------

async function poll() {
  try {
    const snapshot = await call("/api/state");
    state.snapshot = snapshot;
    render(snapshot);
  } catch (error) {
    setState($("link-state"), "alert", "The station process does not answer");
  }
}

function setState(element, tone, text) {
  if (tone) element.dataset.tone = tone;
  else delete element.dataset.tone;
  if (element.textContent !== text) element.textContent = text;
}

function render(s) {
  $("checkpoint").textContent = s.checkpoint;
  $("zone").textContent = state.zone;
  const link = s.link;
  if (link.state === "online") setState($("link-state"), "clear", `Online since ${time(link.since)}`);
  else if (link.state === "offline") setState($("link-state"), "alert", `OFFLINE since ${time(link.since)}`);
  else setState($("link-state"), "warning", "Connecting to headquarters…");
  $("link-state").title = link.reason || "";

  const list = s.list;
  if (list.version === null || list.version === undefined) {
    setState($("list-state"), "alert", "No list copy yet: screening waits for the first sync");
  } else {
    const old = list.checked_at ? `, ${age(list.checked_at, s.now)}` : "";
    const text = `List ${list.version}${old}`;
    if (list.state === "expired") setState($("list-state"), "alert", `${text}: EXPIRED`);
    else if (list.state === "stale") setState($("list-state"), "warning", `${text}: out of date`);
    else setState($("list-state"), "clear", text);
  }
  const q = s.queue;
  setState(
    $("queue-state"),
    q.queued > 0 ? "warning" : null,
    q.queued > 0 ? `${q.queued} report${q.queued === 1 ? "" : "s"} queued for headquarters` : "Nothing queued",
  );
  const refusal = $("refusal");
  refusal.hidden = !s.refusal;
  if (s.refusal) refusal.textContent = `Headquarters: ${s.refusal}`;

  const signedIn = Boolean(s.officer);
  $("who").hidden = !signedIn;
  $("officer").textContent = s.officer || "";
  const wasSignedIn = !$("work-view").hidden;
  $("sign-in-view").hidden = signedIn;
  $("work-view").hidden = !signedIn;
  if (signedIn && !wasSignedIn && $("alert-overlay").hidden) $("screen-name").focus();
  if (!signedIn && wasSignedIn) $("sign-in-pass").focus();
  renderAlertList(s.alerts);
  renderOverlay(s);
}

function renderAlertList(alerts) {
  const list = $("alert-list");
  const key = JSON.stringify(alerts.map((a) => [a.id, a.stage, a.acknowledged_by, a.ack_identifier, a.replaced_by]));
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren();
  if (alerts.length === 0) list.append(make("li", "None yet.", { class: "hint" }));
  for (const alert of alerts) {
    let status = "waiting for a person to acknowledge";
    if (alert.stage === "acknowledged") {
      status = `acknowledged by ${alert.acknowledged_by} at ${time(alert.acknowledged_at)}`;
      status += alert.ack_identifier ? ", confirmed by headquarters" : ", to be confirmed by headquarters";
    }
    if (alert.replaced_by) status += `; replaced by a newer message`;
    list.append(make("li", `${time(alert.sent_at)} · ${alert.headline} — ${status}`));
  }
}

// --- Alerts over everything -----------------------------------------------------------------------

function renderOverlay(s) {
  const open = s.alerts.filter((a) => a.stage !== "acknowledged");
  const overlay = $("alert-overlay");
  const rest = [document.querySelector("header"), $("main"), document.querySelector("footer"), $("refusal")];
  if (open.length === 0) {
    if (!overlay.hidden) {
      overlay.hidden = true;
      for (const element of rest) element.inert = false;
      $("main").focus();
    }
    return;
  }
  const alert = open[0];
  const fresh = overlay.hidden || overlay.dataset.alert !== alert.id;
  overlay.dataset.alert = alert.id;
  if (fresh) {
    fillOverlay(alert);
    overlay.hidden = false;
    for (const element of rest) element.inert = true;
  }
  const signedIn = Boolean(s.officer);
  $("ack-button").hidden = !signedIn;
  $("ack-sign-in").hidden = signedIn;
  $("alert-waiting").textContent = open.length > 1 ? `${open.length - 1} more alert${open.length > 2 ? "s" : ""} waiting after this one` : "";
  if (fresh) (signedIn ? $("ack-button") : $("ack-pass")).focus();
  if (alert.stage === "new" && !state.shownSent.has(alert.id)) {
    state.shownSent.add(alert.id);
    call(`/api/alerts/${encodeURIComponent(alert.id)}/shown`, {}).catch(() => state.shownSent.delete(alert.id));
  }
  beep();
}

function fillOverlay(alert) {
  const kinds = { be_on_lookout: "Be on the lookout", lockdown: "Lockdown", update: "Update", cancel: "Cancellation" };
  $("alert-kind").textContent = `${kinds[alert.kind] || alert.kind} · ${alert.event}`;
  $("alert-headline").textContent = alert.headline;
  $("alert-meta").textContent = `Sent ${time(alert.sent_at, true)}${alert.area ? ` · ${alert.area}` : ""}`;
  $("alert-instruction").textContent = alert.instruction || "Read the message, then acknowledge it.";
  const people = $("alert-people");
  people.replaceChildren();
  for (const person of alert.persons) {
    const card = make("section", null, { class: "card", "aria-label": person.name });
    card.append(make("h2", person.name));
    if (person.names.length) card.append(make("p", `Also written: ${person.names.join(" · ")}`));
    const facts = [];
    if (person.born.length) facts.push(`born ${person.born.join(" or ")}`);
    if (person.nationalities.length) facts.push(`nationality ${person.nationalities.join(", ")}`);
    if (person.documents.length) facts.push(`documents ${person.documents.join(", ")}`);
    if (facts.length) card.append(make("p", facts.join("; ")));
    card.append(make("p", "No photo in this station's copy of the list.", { class: "hint" }));
    people.append(card);
  }
  const vehicles = $("alert-vehicles");
  vehicles.replaceChildren();
  for (const vehicle of alert.vehicles) {
    const card = make("section", null, { class: "card", "aria-label": `Vehicle ${vehicle.plate}` });
    card.append(make("h2", `Plate ${vehicle.plate}`));
    if (vehicle.description) card.append(make("p", vehicle.description));
    vehicles.append(card);
  }
  $("alert-description").textContent = alert.description || "";
  $("alert-details").hidden = !alert.description;
  $("ack-pass-error").textContent = "";
}

function beep() {
  const now = Date.now();
  if (now - state.beepAt < 8000) return;
  state.beepAt = now;
  try {
    state.audio = state.audio || new AudioContext();
    const context = state.audio;
    if (context.state === "suspended") context.resume().catch(() => {});
    for (let i = 0; i < 3; i += 1) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.25;
      oscillator.connect(gain).connect(context.destination);
      const start = context.currentTime + i * 0.5;
      oscillator.start(start);
      oscillator.stop(start + 0.3);
    }
  } catch {
    // No audio device: the screen alone carries the alert.
  }
}

async function acknowledge() {
  const id = $("alert-overlay").dataset.alert;
  const button = $("ack-button");
  button.disabled = true;
  try {
    await call(`/api/alerts/${encodeURIComponent(id)}/ack`, {});
    await poll();
  } catch (error) {
    $("alert-waiting").textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

// --- Signing in -------------------------------------------------------------------------------------

async function signIn(field, errorField, then) {
  const input = $(field);
  try {
    await call("/api/sign-in", { pass: input.value });
    input.value = "";
    input.removeAttribute("aria-invalid");
    $(errorField).textContent = "";
    if (then) await then();
    await poll();
  } catch (error) {
    input.setAttribute("aria-invalid", "true");
    $(errorField).textContent = error.message;
    input.focus();
  }
}

// --- Screening --------------------------------------------------------------------------------------

async function screen(form) {
  const kind = form.dataset.kind;
  const input = form.elements[kind];
  const error = $(`screen-${kind}-error`);
  try {
    const result = await call("/api/screen", { kind, [kind]: input.value });
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    showResult(result);
  } catch (problem) {
    if (problem.status === 401) return poll();
    input.setAttribute("aria-invalid", "true");
    error.textContent = problem.message;
    input.focus();
  }
}

function showResult(result) {
  const panel = $("result");
  panel.replaceChildren();
  panel.hidden = false;
  const titles = { name: "Name", zone: "Passport zone", plate: "Plate", pass: "Pass" };
  panel.append(make("h2", `${titles[result.kind]} screened at ${time(result.at)}`, { id: "result-title" }));
  panel.append(make("p", result.verdict, { class: "verdict", "data-tone": result.tone }));
  if (result.instruction) panel.append(make("p", result.instruction, { class: "hold" }));
  if (result.warnings.length) {
    const list = make("ul", null, { class: "warnings" });
    for (const warning of result.warnings) list.append(make("li", warning));
    panel.append(list);
  }
  if (result.document) panel.append(documentFacts(result.document));
  if (result.pass) panel.append(passFacts(result.pass));
  if (result.hits.length) {
    const hits = make("ul", null, { class: "hits" });
    for (const hit of result.hits) hits.append(hitItem(result, hit));
    panel.append(hits);
  }
  if (result.queued > 0) {
    panel.append(make("p", `${result.queued} report${result.queued === 1 ? "" : "s"} queued for headquarters.`, { class: "hint" }));
  }
  panel.focus();
}

function facts(pairs) {
  const list = make("dl", null, { class: "facts" });
  for (const [name, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(make("dt", name), make("dd", value));
  }
  return list;
}

function documentFacts(d) {
  const box = make("div");
  box.append(make("h3", `${d.format} document ${d.number}`));
  box.append(
    facts([
      ["Name", d.name],
      ["Issued by", d.issuing],
      ["Nationality", d.nationality],
      ["Born", d.born],
      ["Expires", d.expires + (d.expired ? " — EXPIRED" : "")],
      ["Checks", d.valid ? "every check digit and field passes" : "FAILS: " + d.failures.join("; ")],
    ]),
  );
  return box;
}

function passFacts(p) {
  return facts([
    ["Verdict", p.valid ? "valid" : p.status.replace("_", " ")],
    ["Officer", p.officer],
    ["Service number", p.service_number],
    ["Unit", p.unit],
    ["Role", p.role],
    ["Valid until", p.valid_until ? time(p.valid_until, true) : null],
  ]);
}

function hitItem(result, hit) {
  const item = make("li", null, { class: "hit", "data-alert": String(hit.alert) });
  const label = hit.alert ? "ALERT" : "below the alert threshold";
  item.append(make("h3", `${hit.name} — ${label} (score ${hit.score})`));
  if (hit.names.length) item.append(make("p", `Also written: ${hit.names.join(" · ")}`));
  const details = [];
  if (hit.born.length) details.push(`born ${hit.born.join(" or ")}`);
  if (hit.nationalities.length) details.push(`nationality ${hit.nationalities.join(", ")}`);
  if (details.length) item.append(make("p", details.join("; ")));
  const why = make("ul", null, { class: "why", "aria-label": "Why it matched" });
  for (const line of hit.why) why.append(make("li", line));
  item.append(why);
  const decisions = make("div", null, { class: "decisions" });
  for (const decision of hit.decisions) decisions.append(decisionLine(decision));
  item.append(decisions);
  if (hit.alert) item.append(outcomeForm(result, hit, decisions));
  return item;
}

function decisionLine(decision) {
  const verb = decision.outcome === "not_him" ? "Cleared as not him" : `Recorded: ${decision.label}`;
  const reason = decision.reason ? ` — ${decision.reason}` : "";
  return make("p", `${verb} by ${decision.officer} at ${time(decision.at, true)}${reason}`, { class: "decision" });
}

let outcomeCount = 0;
function outcomeForm(result, hit, decisions) {
  outcomeCount += 1;
  const form = make("form", null, { class: "outcome", novalidate: "" });
  const reasonID = `reason-${outcomeCount}`;
  const errorID = `reason-error-${outcomeCount}`;
  const reasonBox = make("div", null, { class: "reason" });
  reasonBox.append(make("label", "Reason (needed for “not him”)", { for: reasonID }));
  const reason = make("input", null, { id: reasonID, type: "text", autocomplete: "off", "aria-describedby": errorID });
  reasonBox.append(reason, make("p", "", { id: errorID, class: "error", "aria-live": "assertive" }));
  form.append(reasonBox);
  const choices = [
    ["detained", "Detained"],
    ["released_after_check", "Let through after a check"],
    ["not_him", "Not him"],
  ];
  for (const [outcome, text] of choices) {
    const button = make("button", text, { type: "button", class: outcome === "detained" ? "danger" : "" });
    button.addEventListener("click", async () => {
      try {
        const decision = await call("/api/outcomes", {
          screening: result.id,
          entry: hit.entry,
          outcome,
          reason: reason.value,
        });
        reason.removeAttribute("aria-invalid");
        $(errorID).textContent = "";
        decisions.prepend(decisionLine(decision));
        reason.value = "";
      } catch (problem) {
        reason.setAttribute("aria-invalid", "true");
        $(errorID).textContent = problem.message;
        reason.focus();
      }
    });
    form.append(button);
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

// --- Wiring -------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  // Enter in a one-line field sends its form, as a pass or plate scanner ends its line with Enter.
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || !target.form) return;
    event.preventDefault();
    target.form.requestSubmit();
  });
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    signIn("sign-in-pass", "sign-in-pass-error");
  });
  $("ack-sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    signIn("ack-pass", "ack-pass-error", acknowledge);
  });
  $("ack-button").addEventListener("click", acknowledge);
  $("sign-out").addEventListener("click", async () => {
    await call("/api/sign-out", {}).catch(() => {});
    await poll();
  });
  for (const form of document.querySelectorAll(".screen-form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      screen(form);
    });
  }
  poll();
  setInterval(poll, 1000);
});
