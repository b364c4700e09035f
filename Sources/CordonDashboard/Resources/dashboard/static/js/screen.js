// The screening forms: a name (with birth year and nationality), a machine-readable zone, or a plate.
// Each hit is shown with why it matched.
import { bindForm, fields } from "./forms.js";

const results = document.getElementById("screen-results");

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const percent = (score) => `${Math.round(score * 1000) / 10}%`;
const twoPlaces = (value) => Number(value).toFixed(2);

// What each part of a wanted person's names is, as the server knows it: {person: {part: kind}}.
let partKinds = {};
try { partKinds = JSON.parse(results.dataset.nameParts || "{}"); } catch { partKinds = {}; }

const KIND_WORDS = { family: "surname", given: "given name", patronymic: "patronymic" };

/** A name part as the explanation writes it: compatibility-normalised, lower case, letters, marks and digits only. */
function partKey(text) {
  return String(text).normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{M}\p{N}]|\p{Lm}/gu, "");
}

/** The word of `written` the explanation's lower-cased part stands for, as written; else the part itself. */
function asWritten(part, written) {
  const key = partKey(part);
  const words = String(written ?? "").split(/\s+/).filter(Boolean);
  const word = words.find((candidate) => partKey(candidate) === key);
  if (word) return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  return part.split(" ").map((piece) => piece.charAt(0).toUpperCase() + piece.slice(1)).join(" ");
}

/** "the surname Mirzoyev", or "Mirzoyev" when what the part is is not known. */
function listed(hitID, part, written) {
  const kind = KIND_WORDS[partKinds[hitID]?.[partKey(part)]];
  const word = asWritten(part, written);
  return kind ? `the ${kind} ${word}` : word;
}

/** How a part matched, as the end of a sentence. */
function how(part) {
  switch (part.rule) {
    case "exact": return partKey(part.query_part) === partKey(part.list_part) ? "exactly" : "by transliteration";
    case "transliteration": return "by transliteration";
    case "consonantSkeleton": return "by its consonants (the vowels differ)";
    case "nickname": return "as a known short form";
    case "shortForm": return "as a shortened form";
    case "fuzzy": return "by a close spelling (a typo or a variant)";
    case "initial": return "as an initial";
    case "joined": return "written joined or split";
    case "acronym": return "as an acronym";
    default: return `(${part.wording})`;
  }
}

function sentence(text) {
  const trimmed = String(text).trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

/** The explanation as short sentences: one per name part, then what was left over. */
function explanationSentences(hit, query) {
  const explanation = hit.explanation;
  const matched = explanation.matched_name;
  const sentences = [];
  if (!explanation.is_primary_name && matched) sentences.push(`Matched through the other name “${matched}”.`);
  for (const part of explanation.parts ?? []) {
    sentences.push(`${asWritten(part.query_part, query)} matches ${listed(hit.id, part.list_part, matched)} ${how(part)} (${twoPlaces(part.similarity)}).`);
  }
  for (const part of explanation.unmatched_list_parts ?? []) {
    sentences.push(sentence(`${listed(hit.id, part, matched)} is on the list but not in the query`));
  }
  for (const part of explanation.unmatched_query_parts ?? []) {
    sentences.push(`${asWritten(part, query)} in the query matches no part of the listed name.`);
  }
  return sentences;
}

function personHit(hit, query) {
  const explanation = hit.explanation;
  const item = element("li", { class: `hit${hit.alert ? " hit-alert" : ""}`, "data-id": hit.id });
  item.append(
    element("h3", { class: "hit-name" }, hit.name, " ",
      element("span", { class: "badge" }, hit.alert ? "ALERT" : "below alert threshold")),
    element("p", { class: "hit-score" }, `Score ${percent(hit.score)} (${hit.kind})`),
  );
  const sentences = explanationSentences(hit, query);
  if (sentences.length) {
    item.append(element("ul", { class: "hit-explanation" }, ...sentences.map((text) => element("li", {}, text))));
  }
  const notes = (explanation.evidence ?? []).map((evidence) => sentence(evidence.detail));
  if (notes.length) item.append(element("ul", { class: "evidence" }, ...notes.map((note) => element("li", {}, note))));
  if (explanation.parts?.length) {
    const rows = explanation.parts.map((part) =>
      element("tr", {}, element("td", {}, part.query_part), element("td", {}, part.list_part),
        element("td", {}, part.wording), element("td", {}, twoPlaces(part.similarity))));
    item.append(element("details", { class: "parts-details" },
      element("summary", {}, "Scores part by part"),
      element("table", { class: "parts" },
        element("caption", {}, `Matched against “${explanation.matched_name}”, name score ${twoPlaces(explanation.name_score)}`),
        element("thead", {}, element("tr", {}, ...["Screened", "Listed", "How", "Similarity"].map((h) => element("th", { scope: "col" }, h)))),
        element("tbody", {}, ...rows))));
  }
  return item;
}

function vehicleHit(hit) {
  return element("li", { class: `hit${hit.alert ? " hit-alert" : ""}`, "data-id": hit.id },
    element("h3", { class: "hit-name" }, `${hit.plate} (${hit.country})`, " ",
      element("span", { class: "badge" }, hit.alert ? "ALERT" : "below alert threshold")),
    element("p", { class: "hit-score" }, `Score ${percent(hit.score)}: ${hit.colour} ${hit.make} ${hit.model}${hit.stolen ? ", stolen" : ""}`),
    element("p", { class: "hit-explanation" }, hit.explanation.summary));
}

function documentSummary(check) {
  if (!check) return null;
  const corrected = check.corrections?.length ? `; ${check.corrections.length} misreading(s) put right` : "";
  const text = `Document (${check.format.toUpperCase().replace("_", "-")}): ${check.valid ? "every check digit holds" : "check digits fail"}${corrected}.`;
  return element("p", { class: "document" }, text);
}

/** Shows the answer and brings it into view, with the keyboard's focus on it. */
function show(answer, what, query = "") {
  const hits = answer.hits ?? [];
  const list = element("ol", { class: "hits" }, ...hits.map((hit) => (hit.kind === "vehicle" ? vehicleHit(hit) : personHit(hit, query))));
  const summary = element("p", { class: "summary" },
    hits.length ? `${hits.length} hit(s) for ${what}; list version ${answer.list_version}, alert threshold ${percent(answer.threshold)}.`
      : `No hit for ${what} (list version ${answer.list_version}).`);
  results.replaceChildren(summary, documentSummary(answer.document) ?? "", list);
  // Focus moves to the results, which a screen reader then reads; the panel is scrolled to the top of
  // the window (or as far as it goes), so the results are in view under the forms.
  const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  document.getElementById("screen-results-panel").scrollIntoView({ block: "start", behavior: reduced ? "auto" : "smooth" });
  results.focus({ preventScroll: true });
}

const nameForm = document.getElementById("screen-name-form");
bindForm(nameForm, {
  build(form) {
    const body = fields(form);
    const errors = [];
    if (!body.name) errors.push({ pointer: "/name", detail: "Enter a name to screen." });
    if (body.birth_date && !/^\d{4}$/.test(body.birth_date)) {
      errors.push({ pointer: "/birth_date", detail: "Write the birth year as four digits, such as 1975." });
    }
    if (body.nationality) body.nationality = body.nationality.toUpperCase();
    return errors.length ? { errors } : body;
  },
  done(form, answer) { show(answer, `“${form.name.value.trim()}”`, form.name.value.trim()); },
});

const mrzForm = document.getElementById("screen-mrz-form");
bindForm(mrzForm, {
  build(form) {
    const lines = form.mrz.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    if (!lines.length) return { errors: [{ pointer: "/mrz", detail: "Paste or type the machine-readable zone." }] };
    return { mrz: lines };
  },
  done(form, answer) { show(answer, "the document"); },
});

const plateForm = document.getElementById("screen-plate-form");
bindForm(plateForm, {
  build(form) {
    const body = fields(form);
    if (!body.plate) return { errors: [{ pointer: "/plate", detail: "Enter the plate as read." }] };
    if (body.plate_country) body.plate_country = body.plate_country.toUpperCase();
    return body;
  },
  done(form, answer) { show(answer, `plate “${form.plate.value.trim()}”`); },
});
