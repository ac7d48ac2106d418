// Sandbox pages: keep polled sections fresh, and send the phone's forms without reloading.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function nearBottom(el) {
    return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  // Whose chat this is, and whether they opted in, changes when an opened link or a STOP has
  // been handled: the names, badges and links around the chat are then out of date.
  function owner(el) {
    var marker = el.querySelector(".owner");
    return marker ? marker.getAttribute("data-owner") : null;
  }

  function ownerChanged(el) {
    var now = owner(el);
    if (!el.hasAttribute("data-owner")) el.setAttribute("data-owner", now || "");
    return now !== null && now !== el.getAttribute("data-owner");
  }

  function refresh(el) {
    var url = el.getAttribute("data-poll");
    if (document.visibilityState !== "visible") {
      url = url.replace(/([?&])seen=1(&|$)/, "$1");  // a hidden tab has not read anything
    }
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      // Signed out meanwhile: the login page is not a chat.
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        if (html === null || html === el.getAttribute("data-last")) return;
        var stick = el.id !== "chat" || nearBottom(el);
        el.setAttribute("data-last", html);
        el.innerHTML = html;  // server-rendered by Django templates, already escaped
        if (ownerChanged(el)) return location.reload();
        if (el.id === "chat" && stick) el.scrollTop = el.scrollHeight;
      })
      .catch(function () { /* the next tick tries again */ });
  }

  document.querySelectorAll("[data-poll]").forEach(function (el) {
    if (el.id === "chat") el.scrollTop = el.scrollHeight;
    ownerChanged(el);  // remembers whose chat the page was rendered for
    setInterval(function () { refresh(el); }, POLL_MS);
  });

  // On a narrow screen the people are a row to swipe through: show whose phone this is.
  var active = document.querySelector(".person.active");
  if (active) active.scrollIntoView({ block: "nearest", inline: "nearest" });

  var chat = document.getElementById("chat");
  var composer = document.getElementById("composer-text");

  document.querySelectorAll("form[data-fetch]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new FormData(form);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(form) }
      }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) { alert(text || "Could not send"); });
        }
        var text = form.querySelector("textarea[name=text]");
        if (text) text.value = "";
        if (chat) return refresh(chat).then(function () { chat.scrollTop = chat.scrollHeight; });
      });
    });
  });

  if (composer) {
    composer.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        composer.form.requestSubmit();
      }
    });
    composer.focus();
  }

  document.querySelectorAll("[data-fill]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!composer) return;
      composer.value = button.getAttribute("data-fill");
      composer.focus();
    });
  });
})();
