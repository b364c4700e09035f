// Reading a report: the text pasted (or a file's, read here as UTF-8) goes to POST /v1/read. The answer
// comes back as the report's text with each mention highlighted where its offsets put it, and the
// entities as the answer ranks them, each with its mentions; a wanted person named with an alert can
// have the report attached to their timeline (POST /v1/persons/{id}/sources).
//
// The answer's offsets count Unicode scalars of the text as sent (for HTML and feeds, of the markup),
// and JavaScript strings count UTF-16 units, so the text is cut by code points (Array.from). Nothing
// sent is ever parsed as HTML here: every node is built with textContent.
import { api, announce, clearErrors, showErrors } from "./forms.js";

const form = document.getElementById("read-form");
const results = document.getElementById("read-results");
const fileInput = document.getElementById("read-file");
const maxBytes = Number(form?.dataset.maxBytes) || 16 * 1024 * 1024;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== "") node.append(child);
  return node;
}

const percent = (score) => `${Math.round(score * 1000) / 10}%`;
const KIND_WORDS = { person: "person", organization: "group", vehicle: "vehicle" };
const FORMAT_WORDS = { text: "plain text", html: "an HTML page", feed: "a feed" };

/** Where the dashboard shows an entity: a person's card, a group's members; a vehicle has no page, so its entry below. */
function pageOf(kind, id) {
  if (kind === "person") return `/ui/fugitives#person-${id}`;
  if (kind === "organization") return `/ui/fugitives?group=${encodeURIComponent(id)}`;
  return `#entity-${id}`;
}

/** Why a mention is weaker than an alert, in words; null for an alert on a name. */
function weakness(mention) {
  if (mention.basis === "earlier_mention") return "earlier mention";
  if (!mention.alert) return "below alert";
  return null;
}

function describeMention(mention, entity) {
  const parts = [
    `${entity?.name ?? mention.entity} (${KIND_WORDS[mention.kind] ?? mention.kind}):`,
    mention.alert ? "alert," : "no alert,",
    `score ${percent(mention.score)}.`,
  ];
  if (mention.basis === "earlier_mention") parts.push("A surname alone referring back to the full name earlier: weaker evidence.");
  if (mention.ambiguity) parts.push(`Ambiguous: ${mention.ambiguity}.`);
  parts.push(mention.explanation);
  return parts.join(" ");
}

/** The mentions that can be highlighted: in order, none overlapping one already taken. */
function placed(mentions, length) {
  const order = mentions.map((mention, index) => ({ mention, index }))
    .filter(({ mention }) => mention.start >= 0 && mention.end <= length && mention.start < mention.end)
    .sort((a, b) => a.mention.start - b.mention.start || b.mention.end - a.mention.end);
  const kept = [];
  let end = 0;
  for (const item of order) {
    if (item.mention.start < end) continue;
    kept.push(item);
    end = item.mention.end;
  }
  return kept;
}

/** The report's text with each mention highlighted and linked, its explanation shown on hover and focus. */
function highlightedText(text, answer, entities) {
  const scalars = Array.from(text);
  const view = element("pre", { class: "read-text", id: "read-text-view" });
  const kept = placed(answer.mentions, scalars.length);
  let position = 0;
  for (const { mention, index } of kept) {
    if (mention.start > position) view.append(scalars.slice(position, mention.start).join(""));
    const entity = entities.get(mention.entity);
    const weak = weakness(mention);
    const classes = ["mention", `kind-${mention.kind}`, weak ? "weak" : "strong"];
    if (mention.basis === "earlier_mention") classes.push("earlier");
    if (mention.ambiguity) classes.push("ambiguous");
    const tip = element("span", { class: "mention-tip", role: "tooltip", id: `mention-${index}-tip` }, describeMention(mention, entity));
    const link = element("a", {
      class: classes.join(" "),
      id: `mention-${index}`,
      href: pageOf(mention.kind, mention.entity),
      "aria-describedby": tip.id,
      "data-entity": mention.entity,
      "data-alert": String(mention.alert),
      "data-basis": mention.basis,
    }, scalars.slice(mention.start, mention.end).join(""));
    const tags = [];
    if (weak) tags.push(weak);
    if (mention.ambiguity) tags.push("ambiguous");
    if (tags.length) link.append(element("span", { class: "mention-tag" }, ` [${tags.join(", ")}]`));
    view.append(element("span", { class: "mention-wrap" }, link, tip));
    position = mention.end;
  }
  if (position < scalars.length) view.append(scalars.slice(position).join(""));
  return { view, highlighted: new Set(kept.map(({ index }) => index)) };
}

function legend() {
  return element("ul", { class: "read-legend", "aria-label": "How mentions are marked" },
    element("li", {}, element("span", { class: "mention strong sample" }, "Alert"), " a listed name, at or above the alert threshold"),
    element("li", {}, element("span", { class: "mention weak sample" }, "Weaker", element("span", { class: "mention-tag" }, " [below alert]")),
      " below the threshold, or [earlier mention]: a surname alone referring back"),
    element("li", {}, element("span", { class: "mention weak sample" }, "Either", element("span", { class: "mention-tag" }, " [ambiguous]")),
      " the words may name someone else; hover or focus for why"));
}

const quoted = (text) => `“${text.replace(/\s+/g, " ")}”`;

function mentionItem(mention, index, highlighted, mentions) {
  const words = quoted(mention.text);
  const item = element("li", { class: `read-mention ${weakness(mention) ? "weak" : "strong"}` });
  item.append(highlighted.has(index) ? element("a", { href: `#mention-${index}`, class: "to-mention" }, words) : words);
  const notes = [mention.alert ? "alert" : "no alert", `score ${percent(mention.score)}`,
    mention.basis === "earlier_mention" ? "earlier mention (weaker)" : mention.basis === "plate" ? "plate" : "name",
    `characters ${mention.start}–${mention.end}`];
  if (!highlighted.has(index)) notes.push("inside another highlight");
  item.append(` (${notes.join(", ")})`);
  // `refers_to` is where the full name this surname refers back to starts.
  const named = mention.refers_to === undefined ? null : mentions.find((other) => other.start === mention.refers_to);
  if (named) item.append(element("p", {}, `Refers back to ${quoted(named.text)}.`));
  if (mention.ambiguity) item.append(element("p", { class: "ambiguity" }, `Ambiguous: ${mention.ambiguity}.`));
  item.append(element("p", { class: "explanation" }, mention.explanation));
  return item;
}

function entityItem(entity, mentions, highlighted, body, all) {
  const item = element("li", { class: `read-entity ${entity.alert ? "alerting" : "quiet"}`, id: `entity-${entity.entity}`, "data-entity": entity.entity });
  const heading = element("h4", {},
    entity.kind === "vehicle" ? entity.name : element("a", { href: pageOf(entity.kind, entity.entity) }, entity.name), " ",
    element("span", { class: "badge" }, entity.alert ? "ALERT" : "below alert"));
  item.append(heading, element("p", { class: "meta" },
    `${KIND_WORDS[entity.kind] ?? entity.kind}, best score ${percent(entity.score)}, ${entity.mentions} mention${entity.mentions === 1 ? "" : "s"}`
    + (entity.kind === "vehicle" ? " (vehicles have no page on the dashboard)" : "")));
  item.append(element("ol", { class: "read-mentions" }, ...mentions.map(({ mention, index }) => mentionItem(mention, index, highlighted, all))));
  if (entity.kind === "person" && entity.alert) item.append(attachControl(entity, body));
  return item;
}

/** A button that attaches the report read to a person's timeline, and where it says what happened. */
function attachControl(entity, body) {
  const result = element("p", { class: "result", role: "status" });
  const error = element("p", { class: "form-error", role: "alert" });
  const button = element("button", { type: "button", class: "attach secondary", "data-person": entity.entity },
    "Attach to the timeline of ", element("span", { class: "name" }, entity.name));
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    const answer = await api("POST", `/v1/persons/${encodeURIComponent(entity.entity)}/sources`, body);
    button.disabled = false;
    if (!answer.ok) {
      error.textContent = answer.body?.errors?.map((e) => e.detail).join(" ") || answer.body?.detail || answer.body?.title || "The report was not attached.";
      return;
    }
    const again = answer.status === 200;
    result.replaceChildren(again ? "Already on the timeline of " : "Attached to the timeline of ",
      element("a", { href: `/ui/fugitives#person-${entity.entity}` }, entity.name), ".");
    announce(result.textContent);
  });
  return element("div", { class: "attach-control" }, button, result, error);
}

/** Shows the answer: the summary, the text highlighted, the entities; the focus then moves to it. */
function show(text, answer, body) {
  const entities = new Map(answer.entities.map((entity) => [entity.entity, entity]));
  const { view, highlighted } = highlightedText(text, answer, entities);
  const alerts = answer.entities.filter((entity) => entity.alert).length;
  const summary = element("p", { class: "summary" }, answer.mentions.length
    ? `${answer.mentions.length} mention${answer.mentions.length === 1 ? "" : "s"} of ${answer.entities.length} listed `
      + `${answer.entities.length === 1 ? "entry" : "entries"}, ${alerts} alerting; read as ${FORMAT_WORDS[answer.format] ?? answer.format} `
      + `against list version ${answer.list_version} at an alert threshold of ${percent(answer.threshold)}.`
    : `Nothing on the list is named in this report (read as ${FORMAT_WORDS[answer.format] ?? answer.format}, list version ${answer.list_version}).`);
  const parts = [summary];
  if (answer.format !== "text") {
    parts.push(element("p", { class: "hint" }, "The page is shown as it was sent, its markup as text; each name found in what the page says is highlighted where it stands in the markup. Scripts and styles are not read."));
  }
  const byEntity = new Map();
  answer.mentions.forEach((mention, index) => {
    if (!byEntity.has(mention.entity)) byEntity.set(mention.entity, []);
    byEntity.get(mention.entity).push({ mention, index });
  });
  const list = element("ol", { class: "read-entities" },
    ...answer.entities.map((entity) => entityItem(entity, byEntity.get(entity.entity) ?? [], highlighted, body, answer.mentions)));
  const textPanel = element("section", { class: "read-text-panel", "aria-labelledby": "read-text-heading" },
    element("h3", { id: "read-text-heading" }, "The report" + (answer.source && answer.source !== "request" ? `: ${answer.source}` : "")),
    answer.mentions.length ? legend() : "", view);
  const listPanel = element("section", { class: "read-list-panel", "aria-labelledby": "read-list-heading" },
    element("h3", { id: "read-list-heading" }, "Named, highest score first"),
    answer.entities.length ? list : element("p", { class: "notice" }, "No one."));
  parts.push(element("div", { class: "read-columns" }, textPanel, listPanel));
  results.replaceChildren(...parts);
  const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  document.getElementById("read-results-panel").scrollIntoView({ block: "start", behavior: reduced ? "auto" : "smooth" });
  results.focus({ preventScroll: true });
}

// A mention listed beside the text takes the focus to its highlight.
results?.addEventListener("click", (event) => {
  const link = event.target.closest?.("a.to-mention");
  if (!link) return;
  const target = document.getElementById(link.getAttribute("href").slice(1));
  if (!target) return;
  event.preventDefault();
  target.focus();
});

// An explanation that would run off the right of the window opens to the left of its highlight instead.
function placeTip(event) {
  const link = event.target.closest?.("a.mention");
  const tip = link?.nextElementSibling;
  if (!tip?.classList.contains("mention-tip")) return;
  tip.classList.remove("flip");
  if (tip.getBoundingClientRect().right > document.documentElement.clientWidth - 8) tip.classList.add("flip");
}
results?.addEventListener("focusin", placeTip);
results?.addEventListener("mouseover", placeTip);

/** The file's bytes as UTF-8 text, put in the box; the format and source follow its name. */
fileInput?.addEventListener("change", async () => {
  const error = document.getElementById("read-file-error");
  error.textContent = "";
  fileInput.removeAttribute("aria-invalid");
  const file = fileInput.files?.[0];
  if (!file) return;
  const fail = (message) => {
    error.textContent = message;
    fileInput.setAttribute("aria-invalid", "true");
    fileInput.focus();
  };
  if (file.size > maxBytes) return fail(`The file has ${file.size} bytes; at most ${maxBytes} are read.`);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return fail("The file is not UTF-8 text. Save it as UTF-8 and choose it again.");
  }
  form.text.value = text;
  const name = file.name.toLowerCase();
  if (/\.(html?|xhtml)$/.test(name)) form.format.value = "html";
  else if (/\.(xml|rss|atom)$/.test(name)) form.format.value = "feed";
  else if (/\.(txt|text)$/.test(name)) form.format.value = "text";
  if (!form.source.value.trim()) form.source.value = file.name.slice(0, 300);
  announce(`The text of ${file.name} is in the report box. Read it when ready.`);
});

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = form.text.value;
  const errors = [];
  if (!text.trim()) errors.push({ pointer: "/text", detail: "Paste a report or choose a file." });
  else if (new TextEncoder().encode(text).length > maxBytes) errors.push({ pointer: "/text", detail: `A report has at most ${maxBytes} bytes.` });
  if (errors.length) return showErrors(form, null, errors);
  // The text exactly as typed (not trimmed): the offsets in the answer count from its first character.
  const body = { text };
  const source = form.source.value.trim();
  if (source) body.source = source;
  if (form.format.value) body.format = form.format.value;
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  const answer = await api("POST", form.dataset.api, body);
  form.removeAttribute("aria-busy");
  button.disabled = false;
  if (!answer.ok) return showErrors(form, answer.body);
  clearErrors(form);
  show(text, answer.body, body);
});
