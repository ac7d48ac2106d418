// The live inbox: new messages, list updates and delivery ticks over one WebSocket.
// Everything that comes from a message or a person is put on the page with textContent only,
// never parsed as HTML.
(function () {
  "use strict";

  var body = document.body;
  var wsPath = body.dataset.wsPath;
  if (!wsPath || !window.WebSocket) return;

  var conversationId = body.dataset.conversation ? Number(body.dataset.conversation) : null;
  var firstPage = (body.dataset.page || "1") === "1";
  var liveState = document.getElementById("live-state");
  var socket = null;
  var retries = 0;
  var connectedOnce = false;

  var TICKS = { pending: "…", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "failed" };

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
    link.href = "/inbox/c/" + encodeURIComponent(c.id) + "/";
    var top = el("span", "conv-top");
    top.appendChild(el("span", "conv-name", c.name));
    var time = el("time", "conv-time", c.time);
    time.setAttribute("datetime", c.last_message_at);
    top.appendChild(time);
    link.appendChild(top);
    link.appendChild(el("span", "conv-preview", c.preview));
    var bottom = el("span", "conv-bottom");
    bottom.appendChild(el("span", "chip channel-" + safeClass(c.channel), c.channel_label));
    bottom.appendChild(el("span", "chip status-" + safeClass(c.status), c.status));
    bottom.appendChild(el("span", "conv-assignee", c.assignee || "unassigned"));
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

  function conversationUpdated(c) {
    var list = document.getElementById("conversation-list");
    if (list) {
      var old = list.querySelector('li[data-conversation-id="' + Number(c.id) + '"]');
      if (old || firstPage) {
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
        status.textContent = c.status;
        status.className = "chip status-" + safeClass(c.status);
      }
      var assignee = document.getElementById("thread-assignee");
      if (assignee) assignee.textContent = c.assignee || "nobody";
    }
  }

  // --- The open thread -----------------------------------------------------------------------

  function messageItem(m) {
    var li = el("li", "msg msg-" + safeClass(m.direction) + (m.automated ? " msg-automated" : ""));
    li.dataset.messageId = String(m.id);
    var bubble = el("div", "msg-bubble");
    if (m.direction === "note") bubble.appendChild(el("div", "msg-label", "Private note · never sent"));
    bubble.appendChild(el("div", "msg-text", m.text));
    if (m.media && m.media.length) {
      var media = el("ul", "msg-media");
      m.media.forEach(function (item) {
        if (!/^https?:\/\//i.test(item.url)) return;
        var a = el("a", null, item.content_type || "attachment");
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
    if (m.automated) meta.appendChild(el("span", "badge badge-automated", "automated"));
    if (m.tag) meta.appendChild(el("span", "badge", m.tag));
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
      tick.title = status || "pending";
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

  function scrollToEnd() {
    var list = document.getElementById("message-list");
    if (list) list.scrollTop = list.scrollHeight;
  }

  // After a reconnect, events sent while we were away are gone: take the current list and
  // thread from the server (our own escaped HTML, parsed as a document, never from event data).
  function resync() {
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
      .catch(function () {});
  }

  // --- The socket ----------------------------------------------------------------------------

  var handlers = {
    "conversation.updated": function (e) { conversationUpdated(e.conversation); },
    "message.created": function (e) { messageCreated(e.message); },
    "message.status": messageStatus,
  };

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + wsPath);
    socket.onopen = function () {
      retries = 0;
      showState("", null);
      if (conversationId) socket.send(JSON.stringify({ type: "subscribe", conversation: conversationId }));
      if (connectedOnce) resync();
      connectedOnce = true;
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (err) { return; }
      var handler = event && handlers[event.type];
      if (handler) handler(event);
    };
    socket.onclose = function () {
      socket = null;
      // Back off exponentially with jitter (1 s … 30 s) so a restarted server is not stampeded.
      var delay = Math.min(30000, 1000 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
      retries += 1;
      showState("offline · reconnecting", "offline");
      window.setTimeout(connect, delay);
    };
  }

  // --- The composer --------------------------------------------------------------------------

  function watchWindow() {
    var state = document.getElementById("window-state");
    if (!state || !state.dataset.until) return;
    var left = new Date(state.dataset.until).getTime() - Date.now();
    if (left <= 0 || left > 2147483647) return;
    window.setTimeout(function () {
      state.textContent = "The window this reply relied on has just closed. Reload to see what can still be sent.";
      state.className = "window window-closed";
    }, left);
  }

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
  connect();
})();
