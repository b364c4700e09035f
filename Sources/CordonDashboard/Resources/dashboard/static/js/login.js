// Signs in without reloading on a mistake, so nothing typed is lost; reports the browser's zone so
// that times are written in it.
import { showErrors } from "./forms.js";

const form = document.getElementById("login-form");
const zone = document.getElementById("login-zone");
if (zone) zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new URLSearchParams(new FormData(form));
  const errors = [];
  if (!form.username.value.trim()) errors.push({ pointer: "/username", detail: "Enter your username." });
  if (!form.password.value) errors.push({ pointer: "/password", detail: "Enter your password." });
  if (errors.length) {
    showErrors(form, null, errors);
    return;
  }
  let response;
  try {
    response = await fetch("/ui/login", {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch {
    showErrors(form, { title: "The server cannot be reached. Try again." });
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    window.location.assign(body.location ?? "/ui/");
    return;
  }
  showErrors(form, body);
});
