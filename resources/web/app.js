/* medconsole: страница пациента.
 *
 * Вход по номеру телефона и коду из SMS, выбор пациента и способа связи,
 * очередь, согласия, звонок (WebRTC, предложение всегда делает браузер и ждёт
 * окончания сбора ICE-кандидатов: aiortc на стороне сотрудника их не
 * досылает), чат с файлами, завершение и заключение врача.
 * Протокол: console/protocol/messages.py (PatientCommand / HubToPatient), v=1.
 * Без сборки и внешних зависимостей.
 */
"use strict";

(() => {
  const V = 1;
  const TOKEN_KEY = "medconsole.patient.token";
  const CONTACT_KEY = "medconsole.patient.contact";
  const MAX_TEXT = 4000;
  const PING_EVERY_MS = 20000;
  const SILENCE_LIMIT_MS = 50000;
  const ICE_GATHER_TIMEOUT_MS = 5000;
  // Повторы подключения не реже раза в 5 с: после перезапуска хаба страница успевает
  // вернуться за 10 с, пока хаб держит место пациента (HubConfig.patient_grace).
  const BACKOFF_MAX_MS = 5000;

  const $ = (id) => document.getElementById(id);
  const el = {};
  for (const id of [
    "account", "account-phone", "logout", "conn-banner", "kicked-banner", "take-over", "login-view", "phone-form", "phone",
    "send-code", "code-form", "code-phone", "code", "login", "resend", "resend-timer",
    "change-phone", "login-error", "connecting-view", "start-view", "persons", "persons-list",
    "single-person", "check-devices", "check-speaker", "device-result", "contact-view",
    "contact-head", "chat-hint", "queue-status", "staff-line", "hang-up", "hold-notice", "call-request", "call-request-text", "accept-call",
    "decline-call", "consent", "consent-title", "consent-text", "consent-version",
    "consent-confirm", "ended", "ended-text", "new-contact", "media", "stage", "remote-video",
    "audio-only", "audio-only-text", "local-video", "remote-audio", "mic-meter", "mic-bar",
    "media-hint", "call-controls", "toggle-mic", "toggle-cam", "check-controls", "stop-check",
    "chat", "chat-log", "chat-empty", "chat-form", "chat-input", "chat-send", "chat-file",
    "docs", "docs-list", "status", "appointments", "appointments-list", "reminder",
  ]) {
    el[id] = $(id);
  }

  // ------------------------------------------------------------------ state

  const S = {
    token: null,
    expiresAt: null,
    phoneEntered: "",
    resendUntil: 0,

    ws: null,
    wsOpen: false,
    welcomed: false,
    wsConnects: 0,
    reconnectDelay: 1000,
    reconnectTimer: null,
    reconnecting: false,
    kicked: false,
    lastRx: 0,

    phone: "",
    persons: [],
    selectedPerson: null,

    contact: null, // {id, channel, state, position, waitingS, receivedAt, ended, startRef}
    leg: null, // {id, media, staffRole, staffName}
    pc: null,
    pcLeg: null,
    pendingIce: [],
    remoteFrames: 0,
    statsFrames: 0,
    remoteAudioLevel: 0,
    rvfcHandle: null,

    localStream: null,
    mediaChain: Promise.resolve(),
    checkActive: false,
    micLevel: 0,
    audioCtx: null,
    meter: null,

    consentQueue: [],
    confirmedConsents: [],
    callRequest: null,
    awaitingCall: null,
    onHold: false, // консультант поставил вызов на удержание

    chat: new Map(), // id -> ChatMessage
    pending: new Map(), // ref -> {ref, el, text, attachmentId, acked}
    refSeq: 0,

    conclusions: [],
    appointments: [], // записи к врачам: всех, кого достигает этот телефон
    appointmentsTz: "",
    reminder: null,
    statusTimer: null,
  };

  // ------------------------------------------------------------------ helpers

  const STAFF_ROLE = { operator: "Медконсультант", doctor: "Врач" };
  const CONSENT_TITLE = {
    personal_data: "Согласие на обработку персональных данных",
    remote_consultation: "Информированное добровольное согласие на дистанционную консультацию",
  };
  const OUTCOME = {
    completed: "Консультация завершена.",
    abandoned: "Обращение прервано.",
    not_reached: "Не удалось установить связь. Обращение закрыто.",
    closed_as_given: "Консультация закрыта как оказанная.",
    cancelled: "Консультация отменена.",
    technical_failure: "Консультация прервана по техническим причинам. Вы можете обратиться повторно.",
  };
  const WAITING_STATES = new Set(["waiting", "offered", "transferred", "returned"]);

  function nextRef() {
    S.refSeq += 1;
    return `p${Date.now().toString(36)}-${S.refSeq}`;
  }

  function fmtDuration(totalS) {
    const s = Math.max(0, Math.floor(totalS));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = String(s % 60).padStart(2, "0");
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  }

  function plural(n, one, few, many) {
    const a = Math.abs(n) % 100;
    const b = a % 10;
    if (a > 10 && a < 20) return many;
    if (b === 1) return one;
    if (b >= 2 && b <= 4) return few;
    return many;
  }

  function fmtTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    return d.toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" });
  }

  function fmtSize(bytes) {
    if (!Number.isFinite(bytes)) return "";
    if (bytes < 1024) return `${bytes} Б`;
    if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} КБ`;
    return `${(bytes / (1024 * 1024)).toFixed(1).replace(".", ",")} МБ`;
  }

  function personName(p) {
    return [p.surname, p.name, p.patronymic].filter(Boolean).join(" ");
  }

  function staffTitle(leg) {
    if (!leg) return "Сотрудник";
    const role = STAFF_ROLE[leg.staffRole] || "Сотрудник";
    return leg.staffName ? `${role} ${leg.staffName}` : role;
  }

  /** Ссылка на файл хаба: токен в запросе, потому что <a> и <img> не шлют заголовок. */
  function authUrl(url) {
    try {
      const u = new URL(url, location.href);
      if (u.origin !== location.origin || !S.token) return u.href;
      if (!u.searchParams.has("token")) u.searchParams.set("token", S.token);
      return u.href;
    } catch {
      return url;
    }
  }

  function status(text, kind = "info") {
    clearTimeout(S.statusTimer);
    el.status.textContent = text || "";
    el.status.className = `status ${kind}`;
    if (text) {
      S.statusTimer = setTimeout(() => {
        el.status.textContent = "";
      }, kind === "error" ? 20000 : 8000);
    }
  }

  function setBusy(button, busy) {
    button.disabled = busy;
    button.setAttribute("aria-busy", busy ? "true" : "false");
  }

  // ------------------------------------------------------------------ HTTP

  async function api(path, body) {
    let resp;
    try {
      resp = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch {
      return { ok: false, status: 0, data: null };
    }
    return readReply(resp);
  }

  async function readReply(resp) {
    let data = null;
    try {
      data = await resp.json();
    } catch {
      data = null;
    }
    const err = (data && data.error) || {};
    return {
      ok: resp.ok,
      status: resp.status,
      data,
      code: err.code || null,
      message: err.message || null,
      retryAfter: err.retry_after_s ?? (data && data.retry_after_s) ?? null,
    };
  }

  /** Понятная формулировка ошибки API (сообщение сервера показывается отдельно). */
  function friendly(r, what) {
    if (r.status === 0) return "Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.";
    if (r.code === "too_soon") {
      const s = Math.ceil(Number(r.retryAfter) || 0);
      return s > 0
        ? `Код уже отправлен. Запросить новый можно через ${fmtDuration(s)}.`
        : "Код уже отправлен. Подождите немного перед повторным запросом.";
    }
    if (r.status === 413) return "Файл слишком большой.";
    if (r.status === 415) {
      return "Такой файл отправить нельзя. Можно: изображения (JPG, PNG, GIF, WebP), PDF, ZIP, DICOM.";
    }
    if (r.status === 429) return "Слишком много попыток. Попробуйте позже.";
    if (r.status >= 500) return "Сервис временно недоступен. Попробуйте через несколько минут.";
    if (what === "phone") return "Не удалось отправить код. Проверьте номер телефона.";
    if (what === "code") {
      return r.status === 401 ? "Неверный код из SMS." : "Не удалось войти. Проверьте код.";
    }
    if (what === "upload" && r.status === 401) return "Сессия истекла. Войдите снова.";
    return "Что-то пошло не так. Попробуйте ещё раз.";
  }

  function showLoginError(main, detail) {
    el["login-error"].replaceChildren();
    if (!main) {
      el["login-error"].hidden = true;
      return;
    }
    const p = document.createElement("p");
    p.textContent = main;
    el["login-error"].append(p);
    if (detail && detail !== main) {
      const d = document.createElement("p");
      d.className = "detail";
      d.textContent = `Сообщение сервера: ${detail}`;
      el["login-error"].append(d);
    }
    el["login-error"].hidden = false;
  }

  // ------------------------------------------------------------------ login

  function loadToken() {
    try {
      const raw = sessionStorage.getItem(TOKEN_KEY);
      if (!raw) return;
      const t = JSON.parse(raw);
      if (!t || typeof t.token !== "string") return;
      if (t.expires_at && Date.parse(t.expires_at) <= Date.now()) {
        sessionStorage.removeItem(TOKEN_KEY);
        return;
      }
      S.token = t.token;
      S.expiresAt = t.expires_at || null;
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  }

  function saveToken(token, expiresAt) {
    S.token = token;
    S.expiresAt = expiresAt || null;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token, expires_at: expiresAt }));
  }

  async function requestCode() {
    const phone = el.phone.value.trim();
    const digits = phone.replace(/\D/g, "");
    if (digits.length < 10 || digits.length > 15) {
      showLoginError("Введите номер телефона полностью, например +7 900 123-45-67.");
      el.phone.focus();
      return;
    }
    showLoginError(null);
    setBusy(el["send-code"], true);
    setBusy(el.resend, true);
    const r = await api("/api/patient/sms-code", { phone });
    setBusy(el["send-code"], false);
    setBusy(el.resend, false);
    if (r.ok || r.code === "too_soon") {
      S.phoneEntered = phone;
      el["code-phone"].textContent = phone;
      el["phone-form"].hidden = true;
      el["code-form"].hidden = false;
      const wait = r.ok ? r.data?.retry_after_s ?? 60 : r.retryAfter ?? 60;
      startResendTimer(Number(wait) || 60);
      if (!r.ok) showLoginError(friendly(r, "phone"), r.message);
      el.code.focus();
      return;
    }
    showLoginError(friendly(r, "phone"), r.message);
    el.phone.focus();
  }

  function startResendTimer(seconds) {
    S.resendUntil = Date.now() + seconds * 1000;
    renderResend();
  }

  function renderResend() {
    const left = Math.ceil((S.resendUntil - Date.now()) / 1000);
    if (left > 0) {
      el.resend.disabled = true;
      el["resend-timer"].textContent = `через ${fmtDuration(left)}`;
    } else {
      el.resend.disabled = false;
      el["resend-timer"].textContent = "";
    }
  }

  async function doLogin() {
    const code = el.code.value.trim();
    if (!code) {
      showLoginError("Введите код из SMS.");
      el.code.focus();
      return;
    }
    showLoginError(null);
    setBusy(el.login, true);
    const r = await api("/api/patient/login", { phone: S.phoneEntered, code });
    setBusy(el.login, false);
    if (r.ok && r.data && r.data.token) {
      saveToken(r.data.token, r.data.expires_at);
      el.code.value = "";
      connect();
      layout();
      return;
    }
    showLoginError(friendly(r, "code"), r.message);
    el.code.select();
  }

  function backToPhone() {
    el["code-form"].hidden = true;
    el["phone-form"].hidden = false;
    showLoginError(null);
    el.phone.focus();
  }

  function logout(message) {
    S.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(CONTACT_KEY);
    clearTimeout(S.reconnectTimer);
    S.reconnecting = false;
    const ws = S.ws;
    S.ws = null;
    S.wsOpen = false;
    S.welcomed = false;
    if (ws) ws.close(1000);
    closePc();
    stopLocalMedia();
    S.checkActive = false;
    S.contact = null;
    S.leg = null;
    S.consentQueue = [];
    S.callRequest = null;
    S.persons = [];
    S.phone = "";
    S.conclusions = [];
    S.confirmedConsents = [];
    S.appointments = [];
    S.reminder = null;
    renderDocs();
    renderAppointments();
    clearChat();
    el["code-form"].hidden = true;
    el["phone-form"].hidden = false;
    showLoginError(message || null);
    layout();
  }

  // ------------------------------------------------------------------ WebSocket

  function wsUrl() {
    return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/patient`;
  }

  function send(msg) {
    const ws = S.ws;
    if (!ws || !S.wsOpen || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ v: V, ...msg }));
    return true;
  }

  function connect() {
    clearTimeout(S.reconnectTimer);
    if (!S.token) return;
    let ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch {
      scheduleReconnect();
      return;
    }
    S.ws = ws;
    S.wsConnects += 1;
    ws.onopen = () => {
      if (ws !== S.ws) return;
      S.wsOpen = true;
      S.lastRx = Date.now();
      ws.send(JSON.stringify({ v: V, type: "hello", token: S.token }));
    };
    ws.onmessage = (ev) => {
      if (ws !== S.ws) return;
      S.lastRx = Date.now();
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      try {
        handle(msg);
      } catch (e) {
        console.error("medconsole: ошибка обработки сообщения", msg && msg.type, e);
      }
    };
    ws.onclose = (ev) => {
      if (ws !== S.ws) return;
      socketLost(ev.code, ev.reason);
    };
    ws.onerror = () => {
      /* за ошибкой всегда следует close */
    };
  }

  function socketLost(code, reason = "") {
    const ws = S.ws;
    S.ws = null;
    S.wsOpen = false;
    S.welcomed = false;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      ws.onclose = null;
      try {
        ws.close();
      } catch {
        /* уже закрыт */
      }
    }
    if (!S.token) return;
    if (code === 4401 || code === 4403) {
      logout("Сессия истекла. Войдите снова.");
      return;
    }
    if (code === 4409 || /elsewhere/i.test(reason)) {
      // Тот же номер открыт в другой вкладке или на другом устройстве: не «перетягиваем» связь.
      S.kicked = true;
      closePc();
      layout();
      return;
    }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    clearTimeout(S.reconnectTimer);
    S.reconnecting = true;
    const delay = S.reconnectDelay;
    S.reconnectDelay = Math.min(delay * 2, BACKOFF_MAX_MS);
    S.reconnectTimer = setTimeout(connect, delay);
    layout();
  }

  function reconnectNow() {
    if (S.token && !S.ws && S.reconnecting && !S.kicked) {
      S.reconnectDelay = 1000;
      connect();
    }
  }

  setInterval(() => {
    if (!S.ws || !S.wsOpen) return;
    if (Date.now() - S.lastRx > SILENCE_LIMIT_MS) {
      socketLost(1006); // соединение «зависло»: переподключаемся
      return;
    }
    send({ type: "ping" });
  }, PING_EVERY_MS);

  window.addEventListener("online", reconnectNow);

  // ------------------------------------------------------------------ hub -> patient

  function handle(m) {
    switch (m.type) {
      case "welcome":
        return onWelcome(m);
      case "queue_status":
        return onQueueStatus(m);
      case "consent_request":
        return onConsentRequest(m);
      case "leg":
        return openLeg(m);
      case "signal":
        return onSignal(m.signal);
      case "chat":
        return addChat(m.message, m.ref);
      case "call_request":
        return onCallRequest(m);
      case "hold":
        return onHold(m);
      case "ended":
        return finishContact(m.contact_id, m.outcome);
      case "conclusion_ready":
        return addConclusion(m);
      case "reminder":
        return onReminder(m);
      case "appointments":
        return onAppointments(m);
      case "error":
        return onError(m);
      case "ack":
        return onAck(m);
      case "pong":
        return undefined;
      default:
        console.warn("medconsole: неизвестное сообщение", m.type);
        return undefined;
    }
  }

  function onWelcome(m) {
    S.welcomed = true;
    S.reconnecting = false;
    S.kicked = false;
    S.reconnectDelay = 1000;
    S.phone = m.phone || "";
    S.persons = Array.isArray(m.persons) ? m.persons : [];
    renderPersons(); // записи к врачам хаб присылает сам («appointments»), если они есть
    if (m.contact_id) {
      if (!S.contact || (S.contact.id && S.contact.id !== m.contact_id) || S.contact.ended) {
        newContact(m.contact_id, storedChannel(m.contact_id));
      } else if (!S.contact.id) {
        S.contact.id = m.contact_id;
      }
      for (const msg of m.chat || []) addChat(msg);
      rememberContact();
    } else if (S.contact && !S.contact.ended && S.contact.id) {
      // Обращение закрылось, пока не было связи.
      finishContact(S.contact.id, null);
    }
    layout();
  }

  function newContact(id, channel) {
    closePc();
    S.leg = null;
    S.callRequest = null;
    S.awaitingCall = null;
    S.onHold = false;
    clearChat();
    S.contact = {
      id,
      channel: channel || null,
      state: id ? "restoring" : "starting",
      position: null,
      waitingS: 0,
      receivedAt: performance.now(),
      ended: null,
      startRef: null,
    };
    el["chat-input"].disabled = false;
    el["chat-send"].disabled = false;
    el["chat-file"].disabled = false;
  }

  function rememberContact() {
    if (S.contact && S.contact.id) {
      sessionStorage.setItem(
        CONTACT_KEY,
        JSON.stringify({ id: S.contact.id, channel: S.contact.channel }),
      );
    }
  }

  function storedChannel(id) {
    try {
      const c = JSON.parse(sessionStorage.getItem(CONTACT_KEY) || "null");
      return c && c.id === id ? c.channel : null;
    } catch {
      return null;
    }
  }

  function onQueueStatus(m) {
    if (!S.contact || (S.contact.id && S.contact.id !== m.contact_id)) {
      newContact(m.contact_id, S.contact && !S.contact.id ? S.contact.channel : null);
    }
    const c = S.contact;
    c.id = m.contact_id;
    c.state = m.state;
    c.position = m.position;
    c.waitingS = Number(m.waiting_s) || 0;
    c.receivedAt = performance.now();
    c.startRef = null;
    rememberContact();
    if (WAITING_STATES.has(m.state) && S.leg) {
      // Контакт снова в очереди (перевод к врачу, возврат к медконсультанту): прежний участок закрыт.
      closePc();
      S.leg = null;
      renderStaff();
    }
    if (WAITING_STATES.has(m.state)) S.onHold = false; // удержание кончается вместе с участком
    if (m.state === "closed" && !c.ended) {
      finishContact(c.id, null);
      return;
    }
    renderQueue();
    layout();
  }

  function renderQueue() {
    const c = S.contact;
    const q = el["queue-status"];
    if (!c) {
      q.textContent = "";
      return;
    }
    const waited = c.waitingS + (performance.now() - c.receivedAt) / 1000;
    const place = c.position > 0 ? `${c.position}-й` : "";
    let text;
    if (c.ended) {
      text = "Обращение завершено";
    } else if (c.state === "waiting" || c.state === "offered") {
      text = place
        ? `Вы в очереди: ${place}. Ожидание ${fmtDuration(waited)}`
        : `Вы в очереди. Ожидание ${fmtDuration(waited)}`;
      if (c.state === "offered") text += ". Соединяем…";
    } else if (c.state === "transferred") {
      text = `Вас переводят к врачу${place ? `: вы ${place} в очереди` : ""}. Ожидание ${fmtDuration(waited)}`;
    } else if (c.state === "returned") {
      text = `Консультация врача завершена. Ожидайте медконсультанта${
        place ? `: вы ${place} в очереди` : ""
      }. Ожидание ${fmtDuration(waited)}`;
    } else if (c.state === "connected") {
      text = "Вы на связи с медконсультантом";
    } else if (c.state === "with_doctor") {
      text = "Идёт консультация врача";
    } else if (c.state === "wrap_up" || c.state === "closed") {
      text = "Обращение завершено";
    } else if (c.state === "starting") {
      text = "Отправляем запрос…";
    } else if (c.state === "restoring") {
      text = "Восстанавливаем ваше обращение…";
    } else {
      text = "Обращение обрабатывается";
    }
    if (q.textContent !== text) q.textContent = text;
  }

  setInterval(() => {
    if (S.contact && !S.contact.ended) renderQueue();
    if (S.resendUntil) renderResend();
  }, 1000);

  // ------------------------------------------------------------------ persons and start

  function renderPersons() {
    const persons = S.persons;
    const list = el["persons-list"];
    list.replaceChildren();
    const ids = persons.map((p) => p.person_id);
    if (!ids.includes(S.selectedPerson)) S.selectedPerson = ids.length ? ids[0] : null;
    el.persons.hidden = persons.length < 2;
    el["single-person"].hidden = persons.length !== 1;
    if (persons.length === 1) {
      el["single-person"].textContent = `Консультация для: ${describePerson(persons[0])}`;
    }
    if (persons.length < 2) return;
    persons.forEach((p, i) => {
      const id = `person-${p.person_id}`;
      const row = document.createElement("div");
      row.className = "radio";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "person";
      input.id = id;
      input.value = String(p.person_id);
      input.dataset.testid = `person-${i}`;
      input.checked = p.person_id === S.selectedPerson;
      input.addEventListener("change", () => {
        if (input.checked) S.selectedPerson = p.person_id;
      });
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = describePerson(p);
      row.append(input, label);
      list.append(row);
    });
  }

  function describePerson(p) {
    let s = personName(p);
    if (Number.isFinite(p.age)) s += `, ${p.age} ${plural(p.age, "год", "года", "лет")}`;
    if (p.relation === "self") s += " (вы)";
    if (p.policy_status === "expired") s += " — полис истёк";
    if (p.policy_status === "not_yet_valid") s += " — полис ещё не действует";
    return s;
  }

  function startContact(channel) {
    if (!S.welcomed) {
      status("Нет связи с сервером. Подождите, идёт переподключение…", "error");
      return;
    }
    if (S.contact && !S.contact.ended) return;
    const ref = nextRef();
    const msg = { type: "start", ref, channel };
    if (S.selectedPerson != null) msg.person_id = S.selectedPerson;
    if (!send(msg)) {
      status("Нет связи с сервером. Попробуйте ещё раз.", "error");
      return;
    }
    newContact(null, channel);
    S.contact.startRef = ref;
    S.checkActive = false;
    if (channel === "chat") {
      stopLocalMedia();
    } else {
      // Разрешение на камеру и микрофон спрашиваем сразу, пока пациент в очереди.
      getLocalMedia(channel === "video").catch(mediaError);
    }
    renderQueue();
    layout();
    if (channel === "chat") el["chat-input"].focus();
  }

  function onAck(m) {
    const p = m.ref && S.pending.get(m.ref);
    if (p) {
      p.acked = true;
      p.el.classList.remove("pending");
      const st = p.el.querySelector(".msg-state");
      if (st) st.textContent = "";
    }
  }

  function onError(m) {
    if (m.code === "unauthorized") {
      logout("Сессия истекла. Войдите снова.");
      return;
    }
    const p = m.ref && S.pending.get(m.ref);
    if (p) {
      p.el.classList.remove("pending");
      p.el.classList.add("failed");
      const st = p.el.querySelector(".msg-state");
      if (st) st.textContent = "не отправлено";
      S.pending.delete(m.ref);
    }
    if (m.ref && S.contact && S.contact.startRef === m.ref && !S.contact.id) {
      S.contact = null; // запрос на консультацию не принят
    }
    status(`Ошибка: ${m.message || m.code}`, "error");
    layout();
  }

  // ------------------------------------------------------------------ consent

  function onConsentRequest(m) {
    S.consentQueue = S.consentQueue.filter((c) => c.kind !== m.kind);
    S.consentQueue.push({ kind: m.kind, text_version: m.text_version, text: m.text });
    renderConsent(true);
    layout();
  }

  function renderConsent(focus) {
    const cur = S.consentQueue[0];
    el.consent.hidden = !cur;
    if (!cur) return;
    el["consent-title"].textContent = CONSENT_TITLE[cur.kind] || "Согласие";
    el["consent-text"].textContent = cur.text;
    el["consent-text"].scrollTop = 0;
    el["consent-version"].textContent = cur.text_version;
    el["consent-confirm"].disabled = false;
    const typing = document.activeElement === el["chat-input"];
    if (focus && !typing) el["consent-title"].focus({ preventScroll: true });
    el.consent.scrollIntoView({ block: "nearest" });
  }

  function confirmConsent() {
    const cur = S.consentQueue[0];
    if (!cur) return;
    if (!send({ type: "confirm_consent", kind: cur.kind, text_version: cur.text_version })) {
      status("Нет связи с сервером. Подтвердите согласие после восстановления связи.", "error");
      return;
    }
    S.consentQueue.shift();
    S.confirmedConsents = S.confirmedConsents.filter((c) => c.kind !== cur.kind);
    S.confirmedConsents.push(cur);
    renderConsent(true);
    renderDocs();
    layout();
  }

  // ------------------------------------------------------------------ media: local

  function mediaAvailable() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function mediaError(e) {
    const name = e && e.name;
    let text;
    if (!mediaAvailable()) {
      text = "Браузер не даёт доступ к камере и микрофону на этой странице (нужен адрес https).";
    } else if (name === "NotAllowedError" || name === "SecurityError") {
      text =
        "Доступ к камере и микрофону запрещён. Разрешите его в настройках браузера (значок замка в адресной строке).";
    } else if (name === "NotFoundError" || name === "OverconstrainedError") {
      text = "Камера или микрофон не найдены. Подключите устройство и попробуйте ещё раз.";
    } else if (name === "NotReadableError") {
      text = "Камера или микрофон заняты другой программой. Закройте её и попробуйте ещё раз.";
    } else {
      text = "Не удалось включить камеру и микрофон.";
    }
    status(text, "error");
    return text;
  }

  /** Локальный поток с микрофоном (и камерой, если нужна); вызовы идут по очереди. */
  function getLocalMedia(wantVideo) {
    const run = async () => {
      if (!mediaAvailable()) throw Object.assign(new Error("no mediaDevices"), { name: "NoMedia" });
      const live = (t) => t.readyState === "live";
      let s = S.localStream;
      const hasAudio = !!s && s.getAudioTracks().some(live);
      const hasVideo = !!s && s.getVideoTracks().some(live);
      const needAudio = !hasAudio;
      const needVideo = wantVideo && !hasVideo;
      let cameraError = null;
      if (needAudio || needVideo) {
        const constraints = {
          audio: needAudio ? { echoCancellation: true, noiseSuppression: true } : false,
          video: needVideo ? { width: { ideal: 1280 }, height: { ideal: 720 } } : false,
        };
        let got;
        try {
          got = await navigator.mediaDevices.getUserMedia(constraints);
        } catch (e) {
          if (!(constraints.audio && constraints.video)) throw e;
          cameraError = e; // без камеры: хотя бы голос
          got = await navigator.mediaDevices.getUserMedia({ audio: constraints.audio });
        }
        if (!s) s = new MediaStream();
        for (const t of s.getTracks()) if (!live(t)) s.removeTrack(t);
        for (const t of got.getTracks()) s.addTrack(t);
        S.localStream = s;
      }
      if (!wantVideo) {
        for (const t of s.getVideoTracks()) {
          t.stop();
          s.removeTrack(t);
        }
      }
      attachLocal();
      if (cameraError) status(`Камера недоступна: ${mediaError(cameraError)}`, "error");
      return s;
    };
    const p = S.mediaChain.then(run, run);
    S.mediaChain = p.catch(() => undefined);
    return p;
  }

  function attachLocal() {
    const s = S.localStream;
    const hasVideo = !!s && s.getVideoTracks().length > 0;
    if (hasVideo) {
      if (el["local-video"].srcObject !== s) el["local-video"].srcObject = s;
      el["local-video"].play().catch(() => undefined);
    } else {
      el["local-video"].srcObject = null;
    }
    el["local-video"].hidden = !hasVideo;
    startMeter(s);
    renderToggles();
  }

  function stopLocalMedia() {
    if (S.localStream) {
      for (const t of S.localStream.getTracks()) t.stop();
    }
    S.localStream = null;
    el["local-video"].srcObject = null;
    stopMeter();
  }

  function ensureAudioContext() {
    if (!S.audioCtx) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return null;
      S.audioCtx = new Ctx();
    }
    if (S.audioCtx.state === "suspended") S.audioCtx.resume().catch(() => undefined);
    return S.audioCtx;
  }

  function startMeter(stream) {
    const track = stream && stream.getAudioTracks()[0];
    if (S.meter && S.meter.track === track) return;
    stopMeter();
    if (!track) return;
    const ctx = ensureAudioContext();
    if (!ctx) return;
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      const rms = Math.sqrt(sum / buf.length);
      S.micLevel = track.enabled ? rms : 0;
      const pct = Math.min(100, Math.round(Math.sqrt(S.micLevel) * 160));
      el["mic-bar"].style.width = `${pct}%`;
      el["mic-meter"].setAttribute("aria-valuenow", String(pct));
    }, 100);
    S.meter = { track, source, analyser, timer };
  }

  function stopMeter() {
    if (!S.meter) return;
    clearInterval(S.meter.timer);
    try {
      S.meter.source.disconnect();
    } catch {
      /* уже отключён */
    }
    S.meter = null;
    S.micLevel = 0;
    el["mic-bar"].style.width = "0%";
    el["mic-meter"].setAttribute("aria-valuenow", "0");
  }

  async function checkDevices() {
    setBusy(el["check-devices"], true);
    el["device-result"].hidden = false;
    el["device-result"].textContent = "Включаем камеру и микрофон…";
    try {
      const s = await getLocalMedia(true);
      S.checkActive = true;
      const cam = s.getVideoTracks().length > 0;
      el["device-result"].textContent = cam
        ? "Камера и микрофон работают. Скажите что-нибудь: полоска уровня должна двигаться."
        : "Микрофон работает, камера недоступна.";
    } catch (e) {
      el["device-result"].textContent = mediaError(e);
    } finally {
      setBusy(el["check-devices"], false);
      layout();
    }
  }

  function stopCheck() {
    S.checkActive = false;
    stopLocalMedia();
    el["device-result"].hidden = true;
    layout();
  }

  function checkSpeaker() {
    const ctx = ensureAudioContext();
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.7);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.75);
    el["device-result"].hidden = false;
    el["device-result"].textContent =
      "Должен прозвучать короткий сигнал. Если его не слышно, проверьте громкость и динамики.";
  }

  function renderToggles() {
    const s = S.localStream;
    const a = s && s.getAudioTracks()[0];
    const v = s && s.getVideoTracks()[0];
    el["toggle-mic"].hidden = !a;
    el["toggle-cam"].hidden = !v;
    if (a) {
      el["toggle-mic"].textContent = a.enabled ? "Выключить микрофон" : "Включить микрофон";
      el["toggle-mic"].setAttribute("aria-pressed", a.enabled ? "false" : "true");
    }
    if (v) {
      el["toggle-cam"].textContent = v.enabled ? "Выключить камеру" : "Включить камеру";
      el["toggle-cam"].setAttribute("aria-pressed", v.enabled ? "false" : "true");
    }
  }

  function toggleTrack(kind) {
    const s = S.localStream;
    const t = s && (kind === "audio" ? s.getAudioTracks()[0] : s.getVideoTracks()[0]);
    if (!t) return;
    t.enabled = !t.enabled;
    renderToggles();
  }

  // ------------------------------------------------------------------ media: peer connection

  function ensureContact(contactId) {
    if (!S.contact || S.contact.ended || (S.contact.id && S.contact.id !== contactId)) {
      newContact(contactId, null);
    }
    S.contact.id = contactId;
  }

  async function openLeg(m) {
    ensureContact(m.contact_id);
    closePc();
    S.leg = { id: m.leg, media: m.media, staffRole: m.staff_role, staffName: m.staff_name };
    S.callRequest = null;
    S.awaitingCall = null;
    S.checkActive = false;
    const c = S.contact;
    // Кто взял обращение, тот и на связи (следующий queue_status хаба это подтвердит).
    c.state = m.staff_role === "doctor" ? "with_doctor" : "connected";
    if (m.media !== "none") c.channel = c.channel === "chat" ? "chat" : m.media;
    renderQueue();
    renderStaff();
    layout();
    if (m.media === "none") {
      stopLocalMedia(); // чат: соединение для медиа не нужно
      return;
    }
    const legId = m.leg;
    const wantVideo = m.media === "video";
    let stream = null;
    try {
      stream = await getLocalMedia(wantVideo);
    } catch (e) {
      mediaError(e);
    }
    if (!S.leg || S.leg.id !== legId) return; // за это время пришёл новый участок
    const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: "max-bundle" });
    S.pc = pc;
    S.pcLeg = legId;
    S.pendingIce = [];
    S.remoteFrames = 0;
    S.statsFrames = 0;
    const audio = stream ? stream.getAudioTracks()[0] : null;
    const video = stream && wantVideo ? stream.getVideoTracks()[0] : null;
    if (audio) pc.addTrack(audio, stream);
    else pc.addTransceiver("audio", { direction: "recvonly" });
    if (wantVideo) {
      if (video) pc.addTrack(video, stream);
      else pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.ontrack = (ev) => onRemoteTrack(pc, ev);
    pc.onconnectionstatechange = () => {
      if (S.pc !== pc) return;
      renderStaff();
      if (pc.connectionState === "connected" && el.status.classList.contains("info")) status("");
      if (pc.connectionState === "failed") {
        status("Не удалось установить соединение для звонка. Проверьте интернет.", "error");
      }
    };
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await iceGatheringComplete(pc, ICE_GATHER_TIMEOUT_MS);
    } catch (e) {
      console.error("medconsole: не удалось создать предложение", e);
      status("Не удалось начать звонок.", "error");
      return;
    }
    if (S.pc !== pc) return;
    send({ type: "signal", signal: { leg: legId, kind: "offer", sdp: pc.localDescription.sdp } });
  }

  function iceGatheringComplete(pc, timeoutMs) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener("icegatheringstatechange", onState);
        pc.removeEventListener("icecandidate", onCandidate);
        resolve();
      };
      const onState = () => {
        if (pc.iceGatheringState === "complete") done();
      };
      const onCandidate = (e) => {
        if (!e.candidate) done();
      };
      const timer = setTimeout(done, timeoutMs);
      pc.addEventListener("icegatheringstatechange", onState);
      pc.addEventListener("icecandidate", onCandidate);
    });
  }

  function onRemoteTrack(pc, ev) {
    if (S.pc !== pc) return;
    const track = ev.track;
    if (track.kind === "video") {
      el["remote-video"].srcObject = new MediaStream([track]);
      el["remote-video"].play().catch(() => undefined);
      countFrames();
    } else if (track.kind === "audio") {
      el["remote-audio"].srcObject = new MediaStream([track]);
      el["remote-audio"].play().catch(() => {
        status("Нажмите в любом месте страницы, чтобы включить звук собеседника.", "error");
      });
    }
    layout();
  }

  function countFrames() {
    const v = el["remote-video"];
    if (!v.requestVideoFrameCallback) return;
    if (S.rvfcHandle != null) v.cancelVideoFrameCallback(S.rvfcHandle);
    const tick = (_now, meta) => {
      S.remoteFrames = Math.max(S.remoteFrames + 1, meta.presentedFrames || 0);
      S.rvfcHandle = v.requestVideoFrameCallback(tick);
    };
    S.rvfcHandle = v.requestVideoFrameCallback(tick);
  }

  setInterval(async () => {
    const pc = S.pc;
    if (!pc || pc.connectionState === "closed") return;
    try {
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type !== "inbound-rtp") return;
        if (r.kind === "video" && Number.isFinite(r.framesDecoded)) S.statsFrames = r.framesDecoded;
        if (r.kind === "audio" && Number.isFinite(r.audioLevel)) S.remoteAudioLevel = r.audioLevel;
      });
    } catch {
      /* соединение закрыто */
    }
  }, 1000);

  function toCandidateInit(c) {
    if (!c) return null;
    if (typeof c.candidate === "string") {
      if (!c.candidate) return null;
      return {
        candidate: c.candidate,
        sdpMid: c.sdpMid ?? c.sdp_mid ?? "0",
        sdpMLineIndex: c.sdpMLineIndex ?? c.sdp_mline_index ?? 0,
      };
    }
    if (c.ip && c.port) {
      // Поля кандидата aiortc (RTCIceCandidate): собираем строку SDP.
      let s = `candidate:${c.foundation} ${c.component || 1} ${c.protocol || "udp"} ${c.priority} ${c.ip} ${c.port} typ ${c.type}`;
      if (c.relatedAddress) s += ` raddr ${c.relatedAddress} rport ${c.relatedPort}`;
      if (c.tcpType) s += ` tcptype ${c.tcpType}`;
      return { candidate: s, sdpMid: c.sdpMid ?? "0", sdpMLineIndex: c.sdpMLineIndex ?? 0 };
    }
    return null;
  }

  async function onSignal(sig) {
    if (!sig) return;
    const pc = S.pc;
    if (!pc || sig.leg !== S.pcLeg) {
      console.warn("medconsole: сигнал для чужого участка", sig.leg);
      return;
    }
    try {
      if (sig.kind === "answer") {
        if (pc.signalingState !== "have-local-offer") return;
        await pc.setRemoteDescription({ type: "answer", sdp: sig.sdp });
        const queued = S.pendingIce;
        S.pendingIce = [];
        for (const c of queued) await pc.addIceCandidate(c).catch(() => undefined);
      } else if (sig.kind === "offer") {
        // Пересогласование со стороны сотрудника (протокол этого не требует, но вреда нет).
        await pc.setRemoteDescription({ type: "offer", sdp: sig.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        await iceGatheringComplete(pc, ICE_GATHER_TIMEOUT_MS);
        if (S.pc === pc) {
          send({ type: "signal", signal: { leg: sig.leg, kind: "answer", sdp: pc.localDescription.sdp } });
        }
      } else if (sig.kind === "ice") {
        const init = toCandidateInit(sig.candidate);
        if (!init) return;
        if (!pc.remoteDescription) S.pendingIce.push(init);
        else await pc.addIceCandidate(init);
      }
    } catch (e) {
      console.error("medconsole: ошибка сигнализации", sig.kind, e);
      status("Ошибка соединения звонка.", "error");
    }
    renderStaff();
  }

  function closePc() {
    const pc = S.pc;
    S.pc = null;
    S.pcLeg = null;
    S.pendingIce = [];
    if (pc) {
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      try {
        pc.close();
      } catch {
        /* уже закрыт */
      }
    }
    const v = el["remote-video"];
    if (S.rvfcHandle != null && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(S.rvfcHandle);
    S.rvfcHandle = null;
    v.srcObject = null;
    el["remote-audio"].srcObject = null;
  }

  function renderStaff() {
    const leg = S.leg;
    const line = el["staff-line"];
    if (!leg || !S.contact || S.contact.ended) {
      line.hidden = true;
      return;
    }
    let text = staffTitle(leg);
    const st = S.pc ? S.pc.connectionState : null;
    if (leg.media === "none") {
      text += " · чат";
    } else {
      text += ` · ${leg.media === "video" ? "видеозвонок" : "аудиозвонок"}`;
      if (st === "failed" || st === "disconnected") text += ": связь прервалась";
      else if (st !== "connected") text += ": соединение…";
    }
    line.textContent = text;
    line.hidden = false;
    el["audio-only-text"].textContent = `Аудиозвонок: ${staffTitle(leg)}`;
  }

  // ------------------------------------------------------------------ call request, hang up, end

  function onCallRequest(m) {
    ensureContact(m.contact_id);
    S.callRequest = m;
    const what = m.media === "video" ? "видеозвонок" : "аудиозвонок";
    el["call-request-text"].textContent = `${staffTitle(S.leg)} предлагает ${what}`;
    layout();
    el["accept-call"].focus();
  }

  function onHold(m) {
    if (!S.contact || (S.contact.id && S.contact.id !== m.contact_id)) return; // не наше обращение
    S.onHold = !!m.on;
    layout();
  }

  function answerCall(accept) {
    const req = S.callRequest;
    if (!req) return;
    if (!send({ type: "call_answer", accept })) {
      status("Нет связи с сервером. Попробуйте ещё раз.", "error");
      return;
    }
    S.callRequest = null;
    if (accept) {
      S.awaitingCall = req.media;
      status(req.media === "video" ? "Подключаем видео…" : "Подключаем звонок…");
      getLocalMedia(req.media === "video").catch(mediaError);
    }
    layout();
  }

  function hangUp() {
    if (!S.contact || S.contact.ended) return;
    send({ type: "hang_up" });
    const id = S.contact.id;
    finishContact(id, null, "Вы завершили обращение.");
  }

  function finishContact(contactId, outcome, text) {
    if (!S.contact) return; // пациент уже перешёл к новой консультации
    if (S.contact.id && contactId && S.contact.id !== contactId) return; // не наше обращение
    closePc();
    stopLocalMedia();
    S.leg = null;
    S.callRequest = null;
    S.awaitingCall = null;
    S.onHold = false;
    S.consentQueue = [];
    S.contact.ended = outcome || S.contact.ended || "closed";
    sessionStorage.removeItem(CONTACT_KEY);
    const msg = (outcome && OUTCOME[outcome]) || text || (outcome ? `Обращение завершено (${outcome}).` : "Обращение завершено.");
    el["ended-text"].textContent = msg;
    el["chat-input"].disabled = true;
    el["chat-send"].disabled = true;
    el["chat-file"].disabled = true;
    renderConsent(false);
    renderQueue();
    renderStaff();
    layout();
  }

  function newConsultation() {
    S.contact = null;
    clearChat();
    layout();
    const first = document.querySelector("[data-testid=start-audio]");
    if (first) first.focus();
  }

  // ------------------------------------------------------------------ appointments

  const APPOINTMENT_STATUS = {
    booked: "запись подтверждена",
    waiting: "ожидает соединения",
    in_progress: "идёт консультация",
    given: "консультация проведена",
    closed_as_given: "закрыта: не удалось дозвониться",
    not_reached: "не состоялась: не удалось связаться",
    cancelled: "отменена",
    late_cancelled: "отменена поздно",
  };
  const SPECIALTY = {
    therapist: "терапевт",
    pediatrician: "педиатр",
    cardiologist: "кардиолог",
    neurologist: "невролог",
    endocrinologist: "эндокринолог",
    gastroenterologist: "гастроэнтеролог",
    dermatologist: "дерматолог",
  };

  function onAppointments(m) {
    S.appointments = Array.isArray(m.appointments) ? m.appointments : [];
    if (m.timezone) S.appointmentsTz = m.timezone; // время call-центра, как в SMS
    renderAppointments();
    layout();
  }

  function onReminder(m) {
    S.reminder = m.text || "";
    status(S.reminder);
    const a = m.appointment;
    if (a && !S.appointments.some((x) => x.id === a.id)) S.appointments.push(a);
    renderAppointments();
    layout();
    send({ type: "list_appointments" });
  }

  function renderAppointments() {
    const list = el["appointments-list"];
    list.replaceChildren();
    const sorted = [...S.appointments].sort((a, b) => (a.start < b.start ? -1 : 1));
    for (const a of sorted) {
      const li = document.createElement("li");
      li.dataset.appointment = String(a.id);
      const when = new Date(a.start).toLocaleString("ru-RU", {
        weekday: "short", day: "2-digit", month: "2-digit", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZone: S.appointmentsTz || undefined,
      });
      const who = [SPECIALTY[a.specialty] || a.specialty, a.doctor_name].filter(Boolean).join(", ");
      const b = document.createElement("b");
      b.textContent = when;
      li.append(b, ` — ${who}`);
      const st = document.createElement("span");
      st.className = "muted small";
      st.textContent = ` (${APPOINTMENT_STATUS[a.status] || a.status})`;
      li.append(st);
      const conclusion = S.conclusions.find((c) => a.contact_id && c.contactId === a.contact_id);
      if (conclusion) {
        const link = document.createElement("a");
        link.href = authUrl(conclusion.url);
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = "Заключение (PDF)";
        li.append(" ", link); // the space outside the link: its underline starts at the word
      }
      list.append(li);
    }
    el.reminder.textContent = S.reminder || "";
    el.reminder.hidden = !S.reminder;
  }

  function addConclusion(m) {
    const signed = m.signed_at ? new Date(m.signed_at) : new Date();
    S.conclusions = S.conclusions.filter((c) => c.url !== m.url);
    S.conclusions.push({ contactId: m.contact_id, url: m.url, at: signed });
    renderDocs();
    layout();
    // После входа хаб присылает и прежние заключения: сообщаем только о заключении этого обращения.
    if (S.contact && S.contact.id === m.contact_id) status("Заключение врача готово.");
  }

  function renderDocs() {
    const list = el["docs-list"];
    list.replaceChildren();
    S.conclusions.forEach((c, i) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = authUrl(c.url);
      a.dataset.url = c.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Заключение врача (PDF)";
      if (i === S.conclusions.length - 1) a.dataset.testid = "conclusion-link";
      li.append(a);
      const when = document.createElement("span");
      when.className = "muted small";
      when.textContent = ` от ${c.at.toLocaleDateString("ru-RU")}`;
      li.append(when);
      list.append(li);
    });
    for (const c of S.confirmedConsents) {
      const li = document.createElement("li");
      const d = document.createElement("details");
      const s = document.createElement("summary");
      s.textContent = `${CONSENT_TITLE[c.kind] || "Согласие"} — принято (версия ${c.text_version})`;
      const t = document.createElement("div");
      t.className = "consent-text";
      t.textContent = c.text;
      d.append(s, t);
      li.append(d);
      list.append(li);
    }
  }

  // ------------------------------------------------------------------ chat

  function clearChat() {
    S.chat.clear();
    S.pending.clear();
    el["chat-log"].replaceChildren();
  }

  function authorLabel(msg) {
    if (msg.author === "patient") return "Вы";
    if (msg.author === "system") return "Система";
    return msg.author_name || "Сотрудник";
  }

  function renderMessage(msg, { pending = false } = {}) {
    const li = document.createElement("li");
    li.className = `msg msg-${msg.author}${pending ? " pending" : ""}`;
    if (msg.id != null) li.dataset.id = String(msg.id);
    const meta = document.createElement("div");
    meta.className = "msg-meta";
    const who = document.createElement("span");
    who.className = "msg-author";
    who.textContent = authorLabel(msg);
    const time = document.createElement("time");
    time.dateTime = msg.at;
    time.textContent = fmtTime(msg.at);
    meta.append(who, " ", time);
    const state = document.createElement("span");
    state.className = "msg-state";
    state.textContent = pending ? "отправляется…" : "";
    meta.append(" ", state);
    li.append(meta);
    if (msg.text) {
      const text = document.createElement("div");
      text.className = "msg-text";
      text.textContent = msg.text;
      li.append(text);
    }
    if (msg.attachment) li.append(renderAttachment(msg.attachment));
    return li;
  }

  function renderAttachment(att) {
    const href = authUrl(att.url);
    const a = document.createElement("a");
    a.href = href;
    a.dataset.url = att.url;
    a.target = "_blank";
    a.rel = "noopener";
    if ((att.mime || "").startsWith("image/")) {
      a.className = "attachment thumb";
      a.title = `${att.name} — открыть в полном размере`;
      const img = document.createElement("img");
      img.src = href;
      img.alt = att.name || "изображение";
      img.loading = "lazy";
      a.append(img);
    } else {
      a.className = "attachment file";
      a.append(fileIcon(), att.name || "файл", ` (${fmtSize(att.size)})`);
    }
    return a;
  }

  function fileIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8zM14 3v5h5M8.5 13h7M8.5 17h7");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "1.8");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  function addChat(msg, ref) {
    if (!msg || msg.id == null || S.chat.has(msg.id)) return;
    if (!S.contact) {
      newContact(msg.contact_id || null, null);
    } else if (S.contact.id && msg.contact_id && msg.contact_id !== S.contact.id) {
      if (!S.contact.ended) {
        console.warn("medconsole: сообщение чужого обращения");
        return;
      }
      newContact(msg.contact_id, null);
    }
    S.chat.set(msg.id, msg);
    const log = el["chat-log"];
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const li = renderMessage(msg);
    let pend = ref ? S.pending.get(ref) : null;
    if (!pend && msg.author === "patient") {
      for (const p of S.pending.values()) {
        if (p.text === (msg.text || "") && p.attachmentId === (msg.attachment ? msg.attachment.id : null)) {
          pend = p;
          break;
        }
      }
    }
    if (pend) {
      pend.el.replaceWith(li);
      S.pending.delete(pend.ref);
    } else {
      // по порядку id (история после переподключения может прийти позже новых)
      let before = null;
      for (const item of log.children) {
        const id = Number(item.dataset.id);
        if (item.dataset.id && Number.isFinite(id) && id > Number(msg.id)) {
          before = item;
          break;
        }
      }
      log.insertBefore(li, before);
    }
    if (nearBottom || msg.author === "patient") log.scrollTop = log.scrollHeight;
    layout();
  }

  function sendChat(text, attachment) {
    const t = (text || "").trim();
    if (!t && !attachment) return false;
    if (!S.contact || S.contact.ended) return false;
    if (t.length > MAX_TEXT) {
      status(`Сообщение слишком длинное (больше ${MAX_TEXT} символов).`, "error");
      return false;
    }
    const ref = nextRef();
    const msg = { type: "chat", ref, text: t };
    if (attachment) msg.attachment_id = attachment.id;
    if (!send(msg)) {
      status("Нет связи с сервером, сообщение не отправлено. Попробуйте после переподключения.", "error");
      return false;
    }
    const li = renderMessage(
      { author: "patient", at: new Date().toISOString(), text: t, attachment },
      { pending: true },
    );
    el["chat-log"].append(li);
    el["chat-log"].scrollTop = el["chat-log"].scrollHeight;
    S.pending.set(ref, { ref, el: li, text: t, attachmentId: attachment ? attachment.id : null, acked: false });
    layout();
    return true;
  }

  function submitChat() {
    if (sendChat(el["chat-input"].value, null)) el["chat-input"].value = "";
    el["chat-input"].focus();
  }

  async function uploadFile() {
    const input = el["chat-file"];
    const file = input.files && input.files[0];
    if (!file) return;
    if (!S.contact || S.contact.ended) return;
    status(`Загружаем файл «${file.name}»…`);
    const fd = new FormData();
    fd.append("file", file, file.name);
    let r;
    try {
      const resp = await fetch("/api/upload", {
        method: "POST",
        headers: { Authorization: `Bearer ${S.token}` },
        body: fd,
      });
      r = await readReply(resp);
    } catch {
      r = { ok: false, status: 0 };
    } finally {
      input.value = ""; // тот же файл можно выбрать снова
    }
    if (r.ok && r.data && r.data.id) {
      if (sendChat("", r.data)) status(`Файл «${file.name}» отправлен.`);
      return;
    }
    if (r.status === 401) {
      logout("Сессия истекла. Войдите снова.");
      return;
    }
    const detail = r.message && r.message !== friendly(r, "upload") ? ` (${r.message})` : "";
    status(`Файл «${file.name}» не отправлен. ${friendly(r, "upload")}${detail}`, "error");
  }

  // ------------------------------------------------------------------ layout

  function layout() {
    const loggedIn = !!S.token;
    const c = S.contact;
    const active = !!c && !c.ended;
    el["login-view"].hidden = loggedIn;
    el.account.hidden = !loggedIn || !S.phone;
    el["account-phone"].textContent = S.phone;
    el["conn-banner"].hidden = !(loggedIn && S.reconnecting);
    el["kicked-banner"].hidden = !(loggedIn && S.kicked);
    el["connecting-view"].hidden = !(loggedIn && !S.phone && !S.welcomed);
    el["start-view"].hidden = !(loggedIn && S.phone && !c);
    for (const b of document.querySelectorAll("[data-channel]")) b.disabled = !S.welcomed;

    el["contact-view"].hidden = !(loggedIn && (c || S.consentQueue.length));
    el.appointments.hidden = !(loggedIn && (S.appointments.length || S.reminder));
    el["hang-up"].hidden = !active;
    el["contact-head"].hidden = !!c && !!c.ended;
    el["hang-up"].textContent =
      active && !S.leg && (WAITING_STATES.has(c.state) || c.state === "starting")
        ? "Покинуть очередь"
        : "Завершить";
    el.ended.hidden = !(c && c.ended);
    el["call-request"].hidden = !(active && S.callRequest);
    el["hold-notice"].hidden = !(active && S.onHold);
    renderConsentVisibility();

    // Камера и микрофон: проверка до начала или звонок.
    const legMedia = active && S.leg ? S.leg.media : null;
    const waitingCall = active && !S.leg && (c.channel === "audio" || c.channel === "video");
    const inCall = legMedia === "audio" || legMedia === "video";
    const showMedia = loggedIn && ((S.checkActive && !c) || inCall || waitingCall);
    el.media.hidden = !showMedia;
    const hasLocalVideo = !!S.localStream && S.localStream.getVideoTracks().length > 0;
    const remoteVideo = legMedia === "video";
    el.stage.className = `stage ${remoteVideo ? "call" : S.checkActive && !c ? "check" : "preview"}`;
    el["remote-video"].hidden = !remoteVideo;
    el["local-video"].hidden = !hasLocalVideo;
    el["audio-only"].hidden = !(legMedia === "audio" || (waitingCall && !hasLocalVideo));
    if (!S.leg) el["audio-only-text"].textContent = "Ожидаем ответа…";
    el["call-controls"].hidden = !(inCall || waitingCall);
    el["check-controls"].hidden = !(S.checkActive && !c);
    const hint = el["media-hint"];
    hint.hidden = !(waitingCall && !inCall);
    hint.textContent = "Пока вы ждёте, проверьте, что вас видно и слышно.";

    const hasMessages = el["chat-log"].children.length > 0;
    el.chat.hidden = !(loggedIn && c && (active || hasMessages));
    el["chat-empty"].hidden = hasMessages || !active;
    el["chat-form"].hidden = !active;
    el["chat-hint"].hidden = !active;
    el.docs.hidden = !(loggedIn && (S.conclusions.length || S.confirmedConsents.length));
  }

  function renderConsentVisibility() {
    el.consent.hidden = S.consentQueue.length === 0;
  }

  // ------------------------------------------------------------------ events

  el["phone-form"].addEventListener("submit", (e) => {
    e.preventDefault();
    requestCode();
  });
  el["code-form"].addEventListener("submit", (e) => {
    e.preventDefault();
    doLogin();
  });
  el.resend.addEventListener("click", requestCode);
  el["change-phone"].addEventListener("click", backToPhone);
  el.logout.addEventListener("click", () => logout(null));
  el["take-over"].addEventListener("click", () => {
    S.kicked = false;
    S.reconnectDelay = 1000;
    layout();
    connect();
  });

  for (const b of document.querySelectorAll("[data-channel]")) {
    b.addEventListener("click", () => startContact(b.dataset.channel));
  }
  el["check-devices"].addEventListener("click", checkDevices);
  el["check-speaker"].addEventListener("click", checkSpeaker);
  el["stop-check"].addEventListener("click", stopCheck);
  el["toggle-mic"].addEventListener("click", () => toggleTrack("audio"));
  el["toggle-cam"].addEventListener("click", () => toggleTrack("video"));

  el["consent-confirm"].addEventListener("click", confirmConsent);
  el["accept-call"].addEventListener("click", () => answerCall(true));
  el["decline-call"].addEventListener("click", () => answerCall(false));
  el["hang-up"].addEventListener("click", hangUp);
  el["new-contact"].addEventListener("click", newConsultation);

  el["chat-form"].addEventListener("submit", (e) => {
    e.preventDefault();
    submitChat();
  });
  el["chat-input"].addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitChat();
    }
  });
  el["chat-file"].addEventListener("change", uploadFile);

  // Звук после первого жеста пользователя (политика автозапуска браузеров).
  document.addEventListener(
    "pointerdown",
    () => {
      ensureAudioContext();
      el["remote-audio"].play().catch(() => undefined);
    },
    { capture: true },
  );
  window.addEventListener("pagehide", () => closePc());

  // ------------------------------------------------------------------ test hook

  window.medconsole = Object.freeze({
    state: () => ({
      loggedIn: !!S.token,
      connected: S.wsOpen && S.welcomed,
      reconnecting: S.reconnecting,
      kicked: S.kicked,
      wsConnects: S.wsConnects,
      persons: S.persons.length,
      selectedPerson: S.selectedPerson,
      contactId: S.contact ? S.contact.id : null,
      contactState: S.contact ? S.contact.state : null,
      channel: S.contact ? S.contact.channel : null,
      ended: S.contact ? S.contact.ended : null,
      position: S.contact ? S.contact.position : null,
      leg: S.leg ? S.leg.id : null,
      legMedia: S.leg ? S.leg.media : null,
      pcState: S.pc ? S.pc.connectionState : null,
      iceGatheringState: S.pc ? S.pc.iceGatheringState : null,
      remoteFrames: Math.max(S.remoteFrames, S.statsFrames),
      remoteAudioLevel: S.remoteAudioLevel,
      localTracks: S.localStream ? S.localStream.getTracks().map((t) => t.kind) : [],
      micLevel: S.micLevel,
      chatCount: S.chat.size,
      chatPending: S.pending.size,
      consentPending: S.consentQueue.map((c) => c.kind),
      consentsConfirmed: S.confirmedConsents.map((c) => c.kind),
      callRequest: S.callRequest ? S.callRequest.media : null,
      onHold: S.onHold,
      conclusionUrl: S.conclusions.length ? S.conclusions[S.conclusions.length - 1].url : null,
    }),
    /** Выбранная пара ICE-кандидатов текущего звонка (для проверок «только 127.0.0.1»). */
    stats: async () => {
      const pc = S.pc;
      if (!pc) return null;
      const report = await pc.getStats();
      let pair = null;
      report.forEach((r) => {
        if (r.type === "transport" && r.selectedCandidatePairId) pair = report.get(r.selectedCandidatePairId);
      });
      if (!pair) {
        report.forEach((r) => {
          if (r.type === "candidate-pair" && r.nominated && r.state === "succeeded") pair = r;
        });
      }
      if (!pair) return { pair: null };
      const local = report.get(pair.localCandidateId) || {};
      const remote = report.get(pair.remoteCandidateId) || {};
      return {
        pair: pair.id,
        local: { address: local.address, port: local.port, type: local.candidateType },
        remote: { address: remote.address, port: remote.port, type: remote.candidateType },
      };
    },
  });

  // ------------------------------------------------------------------ start

  loadToken();
  layout();
  if (S.token) connect();
  else el.phone.focus();
})();
