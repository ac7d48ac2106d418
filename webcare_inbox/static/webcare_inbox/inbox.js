// The live inbox: new messages, list updates and delivery ticks over one WebSocket.
// Everything that comes from a message or a person is put on the page with textContent only,
// never parsed as HTML.
(function () {
  "use strict";

  var body = document.body;
  var wsPath = body.dataset.wsPath;
  if (!wsPath || !window.WebSocket) return;

  var conversationId = body.dataset.conversation ? Number(body.dataset.conversation) : null;
  var firstPage = (body.dataset.firstPage || "1") === "1";
  var liveState = document.getElementById("live-state");
  var socket = null;
  var retries = 0;
  var connectedOnce = false;

  var T = {};
  try { T = JSON.parse(document.getElementById("inbox-text").textContent) || {}; } catch (err) { T = {}; }
  function t(key, values) {
    var text = T[key] || key.replace(/^(status|tick)_/, "");
    Object.keys(values || {}).forEach(function (name) { text = text.split("%(" + name + ")s").join(values[name]); });
    return text;
  }
  var userId = Number(body.dataset.userId || 0);
  var TICKS = { pending: "…", sent: "✓", delivered: "✓✓", read: "✓✓", failed: t("failed") };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showState(text, kind) {
    if (!liveState) return;
    liveState.hidden = !text;
    liveState.textContent = text || "";
    liveState.className = "live-state" + (kind ? " live-" + kind : "");
  }

  // --- Conversation list ---------------------------------------------------------------------

  function conversationRow(c) {
    var li = el("li", "conv" + (c.id === conversationId ? " current" : ""));
    li.dataset.conversationId = String(c.id);
    li.dataset.last = c.last_message_at;
    var link = el("a");
    link.href = "/inbox/c/" + encodeURIComponent(c.id) + "/" + window.location.search;
    var top = el("span", "conv-top");
    top.appendChild(el("span", "conv-name", c.name));
    var time = el("time", "conv-time", c.time);
    time.setAttribute("datetime", c.last_message_at);
    top.appendChild(time);
    link.appendChild(top);
    link.appendChild(el("span", "conv-preview", c.preview));
    var bottom = el("span", "conv-bottom");
    bottom.appendChild(el("span", "chip channel-" + safeClass(c.channel), c.channel_label));
    bottom.appendChild(el("span", "chip status-" + safeClass(c.status), t("status_" + c.status)));
    if (c.handled_by === "bot") bottom.appendChild(el("span", "chip chip-bot", t("bot")));
    if (c.team) bottom.appendChild(el("span", "chip chip-team", c.team));
    (c.labels || []).forEach(function (label) { bottom.appendChild(el("span", "chip chip-label", label)); });
    bottom.appendChild(el("span", "conv-assignee", c.assignee || t("unassigned")));
    var unread = el("span", "conv-unread", c.unread);
    unread.hidden = !c.unread || c.id === conversationId;
    bottom.appendChild(unread);
    link.appendChild(bottom);
    li.appendChild(link);
    return li;
  }

  function safeClass(value) {
    return String(value || "").replace(/[^a-z0-9_-]/gi, "");
  }

  // Does a conversation belong in the list as filtered? Status and view are checked here; a
  // search, team, label or channel list only updates rows it already shows.
  function belongs(list, c) {
    var status = list.dataset.filterStatus, view = list.dataset.filterView;
    if (status && status !== "any" && c.status !== status) return false;
    if (view === "mine" && c.assignee_id !== userId) return false;
    if (view === "unassigned" && c.assignee_id) return false;
    if (view === "mentions") return false;
    return true;
  }

  function conversationUpdated(c) {
    var list = document.getElementById("conversation-list");
    if (list) {
      var old = list.querySelector('li[data-conversation-id="' + Number(c.id) + '"]');
      if (old && !belongs(list, c) && c.id !== conversationId) {
        old.remove();
      } else if (old || (firstPage && list.dataset.filtered !== "1" && belongs(list, c))) {
        var row = conversationRow(c);
        var empty = document.getElementById("conversation-list-empty");
        if (empty) empty.remove();
        if (old) old.remove();
        // Newest first: put the row before the first one that is older.
        var before = null;
        list.querySelectorAll("li.conv").forEach(function (other) {
          if (!before && other.dataset.last <= c.last_message_at) before = other;
        });
        list.insertBefore(row, before);
      }
    }
    if (c.id === conversationId) {
      var status = document.getElementById("thread-status");
      if (status) {
        status.textContent = t("status_" + c.status);
        status.className = "chip status-" + safeClass(c.status);
      }
      var assignee = document.getElementById("thread-assignee");
      if (assignee) assignee.textContent = c.assignee || t("nobody");
      var handler = document.getElementById("thread-handler");
      if (handler) {
        handler.textContent = t(c.handled_by === "bot" ? "bot" : "human");
        handler.className = "chip " + (c.handled_by === "bot" ? "chip-bot" : "chip-human");
      }
      handledBanner(c);
    }
  }

  // Who answers, live: the bot banner goes the moment automation hands the person to the team.
  function handledBanner(c) {
    var banner = document.getElementById("handled-banner");
    var presence = document.getElementById("presence");
    if (!banner && presence) {
      banner = el("p", "banner");
      banner.id = "handled-banner";
      presence.parentNode.insertBefore(banner, presence.nextSibling);
    }
    if (!banner) return;
    banner.textContent = "";
    banner.hidden = false;
    if (c.handled_by === "bot") {
      banner.className = "banner banner-bot";
      banner.textContent = t("bot_banner");
    } else if (c.handover_reason) {
      banner.className = "banner banner-handover";
      banner.appendChild(document.createTextNode(t("handover_banner") + " "));
      banner.appendChild(el("strong", null, T["reason_" + c.handover_reason] || c.handover_reason));
    } else {
      banner.hidden = true;
    }
  }

  function conversationHidden(e) {
    var row = document.querySelector('#conversation-list li[data-conversation-id="' + Number(e.conversation_id) + '"]');
    if (row) row.remove();
  }

  function activityCreated(a) {
    var list = document.getElementById("message-list");
    if (!list || a.conversation_id !== conversationId) return;
    if (list.querySelector('li[data-activity-id="' + Number(a.id) + '"]')) return;
    var li = el("li", "activity");
    li.dataset.activityId = String(a.id);
    li.appendChild(el("span", "activity-actor", a.actor));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "activity-text", a.text));
    li.appendChild(document.createTextNode(" "));
    var time = el("time", null, a.time);
    time.setAttribute("datetime", a.at);
    li.appendChild(time);
    list.appendChild(li);
    scrollToEnd();
  }

  function mention(e) {
    var box = document.getElementById("mention-alert");
    if (!box) return;
    box.textContent = "";
    var link = el("a", null, t("mention", { author: e.author, name: e.name }));
    link.href = "/inbox/c/" + encodeURIComponent(e.conversation_id) + "/";
    box.appendChild(link);
    box.hidden = false;
  }

  // --- Who else is here (collision warning) ------------------------------------------------

  var others = {};
  function presence(e) {
    if (e.conversation_id !== conversationId || e.agent_id === userId) return;
    var known = others[e.agent_id];
    if (e.state === "left") delete others[e.agent_id];
    else others[e.agent_id] = { name: e.agent, state: e.state };
    if (!known && e.state === "viewing") sendPresence("viewing"); // let the newcomer know we are here too
    var box = document.getElementById("presence");
    if (!box) return;
    var lines = Object.keys(others).map(function (id) {
      var o = others[id];
      return t(o.state === "typing" ? "typing" : "viewing", { agent: o.name });
    });
    box.textContent = lines.join(" · ");
    box.hidden = !lines.length;
    var typing = Object.keys(others).some(function (id) { return others[id].state === "typing"; });
    box.className = "presence" + (typing ? " presence-typing" : "");
  }

  function sendPresence(state) {
    if (socket && socket.readyState === 1 && conversationId) socket.send(JSON.stringify({ type: "presence", state: state }));
  }

  // --- The open thread -----------------------------------------------------------------------

  function messageItem(m) {
    var li = el("li", "msg msg-" + safeClass(m.direction) + (m.automated ? " msg-automated" : ""));
    li.dataset.messageId = String(m.id);
    var bubble = el("div", "msg-bubble");
    if (m.direction === "note") bubble.appendChild(el("div", "msg-label", t("note")));
    bubble.appendChild(el("div", "msg-text", m.text));
    if (m.media && m.media.length) {
      var media = el("ul", "msg-media");
      m.media.forEach(function (item) {
        if (!/^https?:\/\//i.test(item.url)) return;
        var a = el("a", null, item.content_type || t("attachment"));
        a.href = item.url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        var entry = el("li");
        entry.appendChild(a);
        media.appendChild(entry);
      });
      bubble.appendChild(media);
    }
    var meta = el("div", "msg-meta");
    if (m.author) meta.appendChild(el("span", "msg-author", m.author));
    if (m.automated) meta.appendChild(el("span", "badge badge-automated", t("automated")));
    if (m.tag) meta.appendChild(el("span", "badge", m.tag));
    if (m.channel) meta.appendChild(el("span", "badge badge-channel channel-" + safeClass(m.channel), m.channel_label));
    var time = el("time", null, m.time);
    time.setAttribute("datetime", m.created_at);
    meta.appendChild(time);
    if (m.direction === "out") meta.appendChild(el("span", "tick"));
    bubble.appendChild(meta);
    var error = el("div", "msg-error");
    bubble.appendChild(error);
    li.appendChild(bubble);
    setTick(li, m.status, m.error);
    return li;
  }

  function setTick(li, status, error) {
    var tick = li.querySelector(".tick");
    if (tick) {
      tick.textContent = TICKS[status] || TICKS.pending;
      tick.title = t("tick_" + (status || "pending"));
      tick.className = "tick tick-" + safeClass(status || "pending");
    }
    var box = li.querySelector(".msg-error");
    if (box) {
      box.textContent = error || "";
      box.hidden = !error;
    }
  }

  function messageCreated(m) {
    var list = document.getElementById("message-list");
    if (!list || m.conversation_id !== conversationId) return;
    if (list.querySelector('li[data-message-id="' + Number(m.id) + '"]')) return;
    var nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.appendChild(messageItem(m));
    if (nearBottom || m.direction !== "in") scrollToEnd();
  }

  function messageStatus(e) {
    if (e.conversation_id !== conversationId) return;
    var li = document.querySelector('#message-list li[data-message-id="' + Number(e.message_id) + '"]');
    if (li) setTick(li, e.status, e.error);
  }

  // A proactive notification (trip update, booking confirmation) to this person: added where it
  // belongs in time, or updated in place as its delivery state moves.
  function notificationItem(n) {
    var li = el("li", "msg msg-out msg-automated msg-notification");
    li.dataset.deliveryId = String(n.id);
    var bubble = el("div", "msg-bubble");
    var label = t("notification") + " · " + n.label + (n.trip ? " · " + n.trip : "");
    bubble.appendChild(el("div", "msg-label", label));
    if (n.file_url && /^https?:\/\//.test(n.file_url)) {
      var files = el("ul", "msg-media");
      var link = el("a", null, "PDF · " + (n.file_name || ""));
      link.href = n.file_url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      var entry = el("li");
      entry.appendChild(link);
      files.appendChild(entry);
      bubble.appendChild(files);
    }
    var text = el("div", "msg-text", n.text || null);
    if (!n.text) text.appendChild(el("span", "muted", t("not_sent")));
    bubble.appendChild(text);
    var meta = el("div", "msg-meta");
    meta.appendChild(el("span", "badge badge-automated", t("automated")));
    var time = el("time", null, n.time);
    time.setAttribute("datetime", n.created_at);
    meta.appendChild(time);
    meta.appendChild(el("span", "tick"));
    bubble.appendChild(meta);
    bubble.appendChild(el("div", "msg-error"));
    li.appendChild(bubble);
    setTick(li, n.status, n.error);
    return li;
  }

  function notificationChanged(e) {
    var list = document.getElementById("message-list");
    if (!list || e.conversation_id !== conversationId) return;
    var n = e.notification;
    var item = notificationItem(n);
    panelRefresh(); // its "Notifications sent" list shows the same delivery
    var old = list.querySelector('li[data-delivery-id="' + CSS.escape(String(n.id)) + '"]');
    if (old) { old.replaceWith(item); return; }
    var at = Date.parse(n.created_at), before = null;
    Array.prototype.forEach.call(list.children, function (other) {
      var time = other.querySelector("time[datetime]");
      if (!before && time && Date.parse(time.getAttribute("datetime")) > at) before = other;
    });
    list.insertBefore(item, before);
    if (!before) scrollToEnd();
  }

  // A trip in the context panel moved (delay, gate, departure …), or a notification went out: the
  // panel and the thread's trip line are taken from the server again, exactly as a reload shows them.
  var panelTimer = null;
  function panelRefresh() {
    window.clearTimeout(panelTimer);
    panelTimer = window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          [".pane-context", "#thread-trip"].forEach(function (selector) {
            var current = document.querySelector(selector);
            var replacement = fresh.querySelector(selector);
            if (current && replacement) current.replaceWith(document.importNode(replacement, true));
          });
        })
        .catch(function () {});
    }, 200);
  }

  function scrollToEnd() {
    var list = document.getElementById("message-list");
    if (list) list.scrollTop = list.scrollHeight;
  }

  // After a reconnect, events sent while we were away are gone: take the current list and
  // thread from the server (our own escaped HTML, parsed as a document, never from event data).
  // Events that arrive while the fetch is under way are applied again on top of what it
  // brought, since the page it fetched may have been rendered before they happened.
  var replay = null;
  function resync() {
    replay = [];
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["conversation-list", "message-list"].forEach(function (id) {
          var current = document.getElementById(id);
          var replacement = fresh.getElementById(id);
          if (current && replacement) current.replaceWith(document.importNode(replacement, true));
        });
        scrollToEnd();
      })
      .catch(function () {})
      .then(function () {
        var missed = replay || [];
        replay = null;
        missed.forEach(dispatch);
      });
  }

  function dispatch(event) {
    var handler = event && handlers[event.type];
    if (handler) handler(event);
  }

  // --- The socket ----------------------------------------------------------------------------

  var handlers = {
    "conversation.updated": function (e) { conversationUpdated(e.conversation); },
    "message.created": function (e) { messageCreated(e.message); },
    "message.status": messageStatus,
    "notification": notificationChanged,
    "trip.updated": panelRefresh,
    "conversation.hidden": conversationHidden,
    "activity.created": function (e) { activityCreated(e.activity); },
    "mention": mention,
    "presence": presence,
    // Ready: events for the open thread now reach us (the browser tests and the latency bench wait for this).
    // Whatever happened between rendering this page and joining the thread is fetched once.
    "subscribed": function (e) {
      if (e.conversation && !window.__inboxLive) resync();
      window.__inboxLive = true;
    },
  };

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + wsPath);
    socket.onopen = function () {
      retries = 0;
      showState("", null);
      if (conversationId) {
        socket.send(JSON.stringify({ type: "subscribe", conversation: conversationId }));
        sendPresence("viewing");
      } else {
        window.__inboxLive = true;
      }
      if (connectedOnce && !conversationId) resync();
      connectedOnce = true;
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (err) { return; }
      if (replay && event && event.type !== "subscribed") replay.push(event);
      dispatch(event);
    };
    socket.onclose = function () {
      socket = null;
      window.__inboxLive = false;
      // Back off exponentially with jitter (1 s … 30 s) so a restarted server is not stampeded.
      var delay = Math.min(30000, 1000 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
      retries += 1;
      others = {};
      showState(t("offline"), "offline");
      window.setTimeout(connect, delay);
    };
  }

  // --- The composer --------------------------------------------------------------------------

  function watchWindow() {
    var state = document.getElementById("window-state");
    var left = document.getElementById("window-left");
    if (!state || !state.dataset.until) return;
    var until = new Date(state.dataset.until).getTime();
    function tick() {
      var ms = until - Date.now();
      if (ms <= 0) {
        state.className = "window window-closed";
        if (left) left.textContent = t("closed");
        return;
      }
      var minutes = Math.floor(ms / 60000), hours = Math.floor(minutes / 60), days = Math.floor(hours / 24);
      var text = days ? t("days_hours", { days: days, hours: hours % 24 })
        : hours ? t("hours_minutes", { hours: hours, minutes: minutes % 60 }) : t("minutes", { minutes: minutes });
      if (left) left.textContent = "(" + t("left", { time: text }) + ")";
      window.setTimeout(tick, Math.min(60000, ms));
    }
    tick();
  }

  // The provider's length limit, counted as the server counts (code points, without the blank
  // space around the text); over it, the browser refuses to submit and says why.
  function watchLength() {
    var area = document.getElementById("reply-text");
    var counter = document.getElementById("reply-counter");
    if (!area || !counter) return;
    var limit = Number(area.dataset.limit || 0);
    function update() {
      var count = Array.from(area.value.trim()).length;
      var values = { count: count, limit: limit, over: count - limit };
      var over = limit && count > limit;
      counter.textContent = t(over ? "too_long" : "length", values);
      counter.className = "counter" + (over ? " counter-over" : "");
      area.setCustomValidity(over ? counter.textContent : "");
    }
    area.addEventListener("input", update);
    if (area.value) update();
  }

  // --- Canned replies, typing, keyboard shortcuts --------------------------------------------

  var canned = document.getElementById("canned");
  var replyText = document.getElementById("reply-text");
  if (canned && replyText) {
    canned.addEventListener("change", function () {
      if (!canned.value) return;
      replyText.value = replyText.value ? replyText.value + "\n" + canned.value : canned.value;
      canned.value = "";
      replyText.dispatchEvent(new Event("input"));
      replyText.focus();
    });
  }
  var typingUntil = 0;
  document.querySelectorAll("#reply-text, #note-text").forEach(function (area) {
    area.addEventListener("input", function () {
      if (Date.now() < typingUntil) return;
      typingUntil = Date.now() + 3000;
      sendPresence("typing");
      window.setTimeout(function () { if (Date.now() >= typingUntil) sendPresence("viewing"); }, 3500);
    });
  });

  function clickIf(selector) {
    var node = document.querySelector(selector);
    if (node) node.click();
    return !!node;
  }

  function moveInList(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#conversation-list li.conv a"));
    if (!rows.length) return;
    var index = rows.findIndex(function (a) { return a.parentNode.classList.contains("current"); });
    var next = rows[Math.max(0, Math.min(rows.length - 1, index + step))];
    if (next) window.location.href = next.href;
  }

  document.addEventListener("keydown", function (e) {
    var target = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT")) {
      if (e.key === "Escape") target.blur();
      return;
    }
    var handled = true;
    switch (e.key) {
      case "j": moveInList(1); break;
      case "k": moveInList(-1); break;
      case "r": if (replyText) replyText.focus(); else handled = false; break;
      case "n": {
        var details = document.getElementById("note-details");
        if (details) { details.open = true; document.getElementById("note-text").focus(); } else handled = false;
        break;
      }
      case "a": handled = clickIf('#assign-me button[value="me"]'); break;
      case "e": handled = clickIf("#resolve"); break;
      case "o": handled = clickIf("#reopen"); break;
      case "z": {
        var snooze = document.getElementById("snooze");
        if (snooze) snooze.open = true; else handled = false;
        break;
      }
      case "/": { var search = document.getElementById("search"); if (search) search.focus(); break; }
      case "?": { var help = document.getElementById("shortcuts"); if (help && help.showModal) help.showModal(); break; }
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  document.querySelectorAll(".composer textarea").forEach(function (area) {
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && area.form) {
        e.preventDefault();
        area.form.requestSubmit();
      }
    });
  });
  document.querySelectorAll(".composer form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true; // one click, one message
    });
  });

  scrollToEnd();
  watchWindow();
  watchLength();
  connect();
})();
