// The fugitive board: finding people (a name in any script the cards show, status, group,
// nationality) in the page, and status changes for those allowed to make them. The filters read the
// cards as they are now, so they keep holding when the live feed changes a status.
import { bindForm, fields, showResult } from "./forms.js";

const board = document.getElementById("cards");
const filters = document.getElementById("board-filters");
const empty = document.getElementById("board-empty");

/** Text for matching: compatibility-normalised, without accents or apostrophes, lower case, words single-spaced. */
export function fold(text) {
  return String(text ?? "")
    .normalize("NFKD")
    .replace(/[\p{M}\p{Lm}'’‘`]/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const folded = new WeakMap();
function namesOf(card) {
  if (!folded.has(card)) folded.set(card, fold(card.dataset.names).split(/\s+/));
  return folded.get(card);
}

/** Whether every word typed is in a word of one of the card's names (so "mirz abdu" finds Mirzoyev Abdurasul). */
function matchesName(card, words) {
  if (!words.length) return true;
  const names = namesOf(card);
  return words.every((word) => names.some((name) => name.includes(word)));
}

function apply() {
  if (!board || !filters) return;
  const words = fold(filters.q.value).split(" ").filter(Boolean);
  const status = filters.status?.value ?? "";
  const group = filters.group?.value ?? "";
  const nationality = filters.nationality?.value ?? "";
  let shown = 0;
  const cards = board.querySelectorAll(":scope > li.card");
  for (const card of cards) {
    const groups = (card.dataset.groups ?? "").split(" ").filter(Boolean);
    const visible = matchesName(card, words)
      && (!status || card.dataset.status === status)
      && (!group || (group === "-" ? groups.length === 0 : groups.includes(group)))
      && (!nationality || (card.dataset.nationalities ?? "").split(" ").includes(nationality));
    card.hidden = !visible;
    if (visible) shown += 1;
  }
  filters.querySelector(".n-shown").textContent = String(shown);
  filters.querySelector(".n-total").textContent = String(cards.length);
  if (empty) empty.hidden = shown > 0;
  // The filters in the address, so that a reload or a shared link keeps them.
  const address = new URL(window.location.href);
  for (const [name, value] of [["q", filters.q.value.trim()], ["status", status], ["group", group], ["nationality", nationality]]) {
    if (value) address.searchParams.set(name, value);
    else address.searchParams.delete(name);
  }
  window.history.replaceState(null, "", address);
}

if (board && filters) {
  const address = new URL(window.location.href);
  for (const name of ["q", "status", "group", "nationality"]) {
    const value = address.searchParams.get(name);
    const field = filters.elements.namedItem(name);
    if (value && field && (field.tagName !== "SELECT" || [...field.options].some((option) => option.value === value))) {
      field.value = value;
    }
  }
  filters.hidden = false;
  filters.addEventListener("input", apply);
  filters.addEventListener("change", apply);
  filters.addEventListener("submit", (event) => event.preventDefault());
  filters.addEventListener("reset", () => setTimeout(apply));
  // live.js changes a card's status in place: the filters and the count follow.
  document.addEventListener("cordon:person-updated", apply);
  apply();
}

for (const form of document.querySelectorAll(".status-form")) {
  bindForm(form, {
    build(form) {
      const current = form.closest("[data-status]")?.dataset.status;
      if (form.status.value === current) {
        return { errors: [{ pointer: "/status", detail: "Choose a status other than the current one." }] };
      }
      return fields(form);
    },
    done(form, person) {
      const status = person.wanted?.history?.at(-1)?.status ?? "";
      showResult(form, `Status changed to ${status.replace("_", " ")}.`);
      form.note.value = "";
    },
  });
}

// A link to one person's card (`#person-ID`, from the reading page or a timeline) opens the card's
// details, where its timeline is, and brings the card into view.
function openTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const card = id.startsWith("person-") ? document.getElementById(id) : null;
  if (!card?.classList.contains("card")) return;
  if (card.hidden && filters) {
    filters.reset();
    apply();
  }
  const details = card.querySelector("details.more");
  if (details) details.open = true;
  card.scrollIntoView({ block: "start" });
}
window.addEventListener("hashchange", openTarget);
openTarget();
