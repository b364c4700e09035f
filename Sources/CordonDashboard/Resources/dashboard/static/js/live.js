// Follows the server's live feed (server-sent events) and changes the page in place: new timeline
// lines, sightings on the map, deliveries and acknowledgements, status changes, check-ins.
import { announce } from "./forms.js";

const source = document.body.dataset.live;

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function addTimelineItem(item) {
  const list = document.getElementById("timeline");
  if (!list || !item || document.getElementById(item.id)) return;
  const element = fragment(item.html);
  element.classList.add("new");
  list.prepend(element);
  announce(element.textContent.replace(/\s+/g, " ").trim());
}

function addPoint(point) {
  const group = document.getElementById("map-sightings");
  if (!group || !point || group.querySelector(`[data-id="${CSS.escape(point.id)}"]`)) return;
  // As the server draws it (map.mustache): the map's sighting symbol; map.js sizes it.
  const svg = "http://www.w3.org/2000/svg";
  const marker = document.createElementNS(svg, "g");
  marker.setAttribute("class", `point sighting confidence-${point.state} new`);
  marker.setAttribute("data-id", point.id);
  marker.setAttribute("data-x", point.x);
  marker.setAttribute("data-y", point.y);
  marker.setAttribute("transform", `translate(${point.x} ${point.y})`);
  const title = document.createElementNS(svg, "title");
  title.textContent = point.label;
  const use = document.createElementNS(svg, "use");
  for (const [name, value] of [["href", "#sym-sighting"], ["x", -12], ["y", -12], ["width", 24], ["height", 24]]) {
    use.setAttribute(name, String(value));
  }
  marker.append(title, use);
  group.append(marker);
}

// The delivery panel's summary counts the rows as they are, so it stays true as rows change.
function updateTally(block) {
  const rows = [...block.querySelectorAll("tbody tr[data-state]")];
  const counts = {
    silent: rows.filter((row) => row.dataset.state === "silent").length,
    delivered: rows.filter((row) => row.dataset.state === "delivered").length,
    acknowledged: rows.filter((row) => row.dataset.state === "acknowledged").length,
    escalated: rows.filter((row) => row.dataset.escalated === "true").length,
  };
  counts.unacknowledged = counts.silent + counts.delivered;
  for (const [name, count] of Object.entries(counts)) {
    for (const cell of block.querySelectorAll(`.n-${name}`)) cell.textContent = String(count);
  }
}

// Silent first, the longest silent first; then received, the longest waiting first; then acknowledged by name.
const STATE_ORDER = { silent: 0, delivered: 1, acknowledged: 2 };
function sortRows(block) {
  const body = block.querySelector("table.deliveries tbody");
  if (!body) return;
  const key = (row) => [
    STATE_ORDER[row.dataset.state] ?? 3,
    row.dataset.state === "acknowledged" ? 0 : Date.parse(row.dataset.since) || 0,
    row.dataset.name ?? "",
  ];
  const rows = [...body.rows];
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
  });
  if (sorted.some((row, index) => row !== rows[index])) body.append(...sorted);
}

function updateDelivery(delivery) {
  for (const block of document.querySelectorAll(`[data-alert="${CSS.escape(delivery.alert)}"]`)) {
    const row = block.querySelector(`tr[data-recipient="${CSS.escape(delivery.recipient)}"]`);
    if (row) row.replaceWith(fragment(`<table><tbody>${delivery.html}</tbody></table>`).querySelector("tr"));
    sortRows(block);
    updateTally(block);
  }
  const map = document.getElementById("map-checkpoints");
  if (map && map.dataset.alert === delivery.alert) {
    const point = map.querySelector(`[data-id="${CSS.escape(delivery.recipient)}"]`);
    if (point) setCheckpointState(point, delivery.state);
  }
}

function setCheckpointState(point, state) {
  point.setAttribute("class", `point checkpoint state-${state}`);
  point.dataset.state = state;
  const title = point.querySelector("title");
  if (title) title.textContent = title.textContent.replace(/:[^:]*$/, `: ${state}`);
}

function addAlert(alert, checkpoints) {
  const list = document.getElementById("alerts-list");
  if (list && alert && !document.getElementById("alert-" + alert.id)) {
    const element = fragment(alert.html);
    if (list.dataset.keep) list.replaceChildren(element);
    else {
      list.querySelector(":scope > .notice")?.remove();
      list.prepend(element);
    }
    document.dispatchEvent(new CustomEvent("cordon:alert-added", { detail: element }));
  }
  const map = document.getElementById("map-checkpoints");
  if (map && checkpoints?.length) {
    map.dataset.alert = alert.id;
    const caption = document.getElementById("map-alert");
    if (caption) caption.textContent = `Checkpoints coloured for: ${alert.headline}`;
    for (const point of map.querySelectorAll(".checkpoint")) {
      setCheckpointState(point, checkpoints.includes(point.dataset.id) ? "silent" : "none");
    }
  }
}

function updatePerson(person) {
  const card = document.querySelector(`[data-person="${CSS.escape(person.id)}"]`);
  if (!card) return;
  if (person.status) {
    card.dataset.status = person.status;
    card.className = card.className.replace(/status-\S+/, `status-${person.status}`);
    card.querySelector(".status-badge").textContent = person.status_label;
    const since = card.querySelector(".since");
    since.textContent = person.since;
    since.setAttribute("datetime", person.since_iso);
    const select = card.querySelector("select[name=status]");
    if (select) {
      // The menu starts on the current status; the others are those it may change to.
      const order = ["at_large", "captured", "dead", "cleared"];
      const choices = [
        { value: person.status, label: `${person.status_label} (current)` },
        ...person.choices.filter((choice) => choice.value !== person.status),
      ].sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
      select.replaceChildren(...choices.map((choice) =>
        new Option(choice.label, choice.value, choice.value === person.status, choice.value === person.status)));
    }
  }
  if (person.last_sighting) {
    for (const cell of card.querySelectorAll(".last-sighting")) cell.textContent = person.last_sighting;
    card.querySelector(".last-seen")?.removeAttribute("hidden");
    card.querySelector(".no-sighting")?.remove();
  }
  document.dispatchEvent(new CustomEvent("cordon:person-updated", { detail: card }));
}

function updatePost(post) {
  const row = document.querySelector(`tr[data-post="${CSS.escape(post.id)}"]`);
  if (!row || !post.due) return;
  row.dataset.state = post.state;
  row.className = `state-${post.state}`;
  const due = row.querySelector(".due time");
  due.textContent = post.due;
  due.setAttribute("datetime", post.due_iso);
  row.querySelector(".state .badge").textContent = post.state_label;
}

function handle(message) {
  let event;
  try { event = JSON.parse(message.data); } catch { return; }
  if (event.alert || event.checkpoints) addAlert(event.alert, event.checkpoints);
  if (event.item) addTimelineItem(event.item);
  if (event.point) addPoint(event.point);
  if (event.delivery) updateDelivery(event.delivery);
  if (event.person) updatePerson(event.person);
  if (event.post) updatePost(event.post);
  document.body.dataset.liveEvents = String(Number(document.body.dataset.liveEvents ?? 0) + 1);
}

if (source && "EventSource" in window) {
  const events = new EventSource(source);
  for (const type of [
    "incident_raised", "incident_confirmed", "incident_closed", "incident_escalated", "alert_sent",
    "delivered", "acknowledged", "escalation", "sighting", "status_changed", "check_in", "check_in_resumed",
    "mention", "lead",
  ]) {
    events.addEventListener(type, handle);
  }
  // Events sent while the connection was down are not sent again: say so, rather than let a
  // stale page pass for a live one.
  const banner = document.getElementById("live-banner");
  let interruptedAt = null;
  events.addEventListener("open", () => {
    document.body.dataset.liveState = "open";
    if (interruptedAt && banner) {
      banner.textContent = `Live updates were interrupted at ${interruptedAt}; reload the page to see what happened meanwhile.`;
      banner.hidden = false;
    }
  });
  events.addEventListener("error", () => {
    const time = new Date().toTimeString().slice(0, 5);
    interruptedAt ??= time;
    if (events.readyState === EventSource.CLOSED) {
      document.body.dataset.liveState = "closed";
      if (banner) {
        banner.textContent = `Live updates stopped at ${time} (signed out, or the server is gone). Reload the page.`;
        banner.hidden = false;
      }
    } else {
      document.body.dataset.liveState = "reconnecting";
    }
  });
}
