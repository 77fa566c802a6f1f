"""A Streamlit viewer without a browser: the page's websocket protocol as Streamlit's own frontend speaks it.

A load test of the dashboards needs many viewers at once, and a browser per viewer would measure
the browsers. A `Viewer` does on the wire what the frontend in the installed `streamlit` package
does (its connection manager, widget manager and message cache in `streamlit/static`, and the
server side in `streamlit/web/server/starlette/starlette_websocket.py` and
`streamlit/runtime/app_session.py`):

- opening the page: `GET /?<link>`, then the connection manager's probes `GET /_stcore/health` and
  `GET /_stcore/host-config`, then the websocket `/_stcore/stream` with the subprotocols
  `["streamlit", <xsrf token or "PLACEHOLDER_AUTH_TOKEN">]` and a same-origin `Origin`;
- a run: a `BackMsg` whose `rerun_script` (`ClientState`) carries the link's query string, the state
  of every widget on the page, the page's script hash (empty on the first run), the fragment id
  when a widget inside an `st.fragment` changed, the hashes of the messages it has cached, and the
  browser's context (zone, locale, URL); the run is over at the `ForwardMsg` `script_finished`
  (a run interrupted by a newer rerun is not over);
- widgets: each widget's id, kind, fragment and value are read from the `new_element` (and, for a
  stateful expander, `add_block`) deltas; a widget starts at its default unless the server set its
  value (`set_value`); a change sends the new value in the wire form the server's serde reads
  (`string_value` for a selectbox or radio: the option's label; `string_array_value` for a
  multiselect or segmented control; `bool_value` for a checkbox, toggle or expander;
  `double_value` for a number input); a widget bound to the link (`query_param_key`) also moves
  the link, and `page_info_changed` moves it where the page puts it;
- the message cache: messages the server marks `cacheable` are kept by hash, their hashes are sent
  with each rerun, a `ref_hash` answer is resolved from the cache, and entries older than the
  session's `max_cached_message_age` runs are dropped (per fragment on fragment runs), as the
  frontend does.

Static files (JavaScript, CSS, fonts, the dashboards' plotly.js bundle) have immutable, hashed names
that a returning viewer's browser keeps; a viewer whose browser has none of them (a first visit)
is a `Viewer` given `assets`, the paths a browser fetched for the page (see
`scripts/load_dashboards.py --cold`): they are fetched while the page runs, at most six at a
time as a browser does per host, and the open ends when both are done.

What it does not do: send the frontend's periodic app heartbeats, or render.
Widget kinds other than those above (buttons, data-grid and chart selections, components) keep no
state here, so their server-side state stays what it was, as when a viewer does not touch them.
"""

import asyncio
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

STREAM_PATH = "_stcore/stream"
PLACEHOLDER_AUTH_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends when it has no XSRF cookie
XSRF_COOKIE = "_streamlit_xsrf"
# The browser's context, as a viewer in Denmark sends it with every run (`ContextInfo`).
VIEWER_ZONE = "Europe/Copenhagen"
VIEWER_LOCALE = "en-US"
CHART_KINDS = ("plotly_chart", "bidi_component", "vega_lite_chart")
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


class ViewerError(RuntimeError):
    """The viewer could not do what was asked (no such widget or option, connection lost, timeout)."""


@dataclass
class Widget:
    """A widget on the page as the frontend holds it: where it is and the value it would send."""

    id: str
    kind: str
    field: str  # the `WidgetState` field its value travels in
    fragment_id: str
    label: str
    options: list[str]
    default: Any
    value: Any  # the wire value: str, bool, float or list[str]; None: no state yet
    query_param_key: str = ""

    @property
    def key(self) -> str:
        """The user's `key=` (Streamlit's ids read `$$ID-<hash>-<key>`; "None" when there is none)."""
        return self.id.split("-", 2)[2] if self.id.count("-") >= 2 else ""

    def state(self) -> WidgetState | None:
        if self.value is None:
            return None
        state = WidgetState(id=self.id)
        if self.field == "string_array_value":
            state.string_array_value.data.extend(self.value)
        else:
            setattr(state, self.field, self.value)
        return state

    def wire_value(self, value: Any) -> Any:
        """A viewer's choice (an option's label, a bool, a number, labels) in this widget's wire form."""
        if self.kind in ("selectbox", "radio"):
            if value not in self.options:
                raise ViewerError(f"{self.kind} {self.key or self.label!r} has no option {value!r} ({self.options})")
            return value
        if self.kind == "button_group":
            chosen = [value] if isinstance(value, str) else list(value)
        elif self.kind == "multiselect":
            chosen = list(value)
        elif self.field == "bool_value":
            return bool(value)
        elif self.field == "double_value":
            return float(value)
        else:
            raise ViewerError(f"cannot set a {self.kind}")
        missing = [item for item in chosen if item not in self.options]
        if missing:
            raise ViewerError(f"{self.kind} {self.key or self.label!r} has no option {missing} ({self.options})")
        return chosen

    def next_choice(self) -> Any:
        """The choice after the current one (options in turn, a flipped switch, one step up)."""
        if self.kind in ("selectbox", "radio", "button_group"):
            current = self.value[0] if isinstance(self.value, list) and self.value else self.value
            at = self.options.index(current) if current in self.options else -1
            return self.options[(at + 1) % len(self.options)]
        if self.field == "bool_value":
            return not self.value
        if self.field == "double_value":
            return (self.value or 0.0) + 1.0
        raise ViewerError(f"no next choice for a {self.kind}")


def _widget_from_element(kind: str, proto: Message, fragment_id: str) -> Widget | None:
    """The frontend's widget for a delta's element (None for elements that keep no state here)."""
    options: list[str] = []
    if kind in ("selectbox", "radio"):
        options = list(proto.options)
        default = options[proto.default] if proto.HasField("default") and proto.default < len(options) else None
        field_name = "string_value"
        current = (proto.raw_value if proto.HasField("raw_value") else None) if proto.set_value else default
    elif kind == "checkbox":
        field_name, default = "bool_value", proto.default
        current = proto.value if proto.set_value else default
    elif kind == "number_input":
        field_name = "double_value"
        default = proto.default if proto.HasField("default") else None
        current = (proto.value if proto.HasField("value") else None) if proto.set_value else default
    elif kind in ("multiselect", "button_group"):
        options = [option.content for option in proto.options] if kind == "button_group" else list(proto.options)
        field_name = "string_array_value"
        default = [options[index] for index in proto.default if index < len(options)]
        current = list(proto.raw_values) if proto.set_value else default
    else:
        return None
    return Widget(
        id=proto.id,
        kind=kind,
        field=field_name,
        fragment_id=fragment_id,
        label=proto.label,
        options=options,
        default=default,
        value=current,
        query_param_key=proto.query_param_key,
    )


@dataclass
class Element:
    """One element a run drew: its kind (`markdown`, `selectbox`, `bidi_component`, ...) and protobuf."""

    kind: str
    proto: Message
    path: tuple[int, ...]

    @property
    def text(self) -> str:
        """What the element says in words (body, label, value), for checks on what a run drew."""
        parts = [getattr(self.proto, name, "") for name in ("label", "body", "message")]
        if self.kind == "alert":
            parts.append(self.proto.title)
        return " ".join(str(part) for part in parts if part)


@dataclass
class RunResult:
    """One run of the page (or of a fragment) as the viewer saw it."""

    seconds: float  # from the viewer's action to `script_finished`
    first_delta_seconds: float | None  # to the first element drawn
    status: int
    elements: list[Element]
    errors: list[str]  # exceptions the page showed, a compile error, a lost connection
    bytes_received: int
    messages: int
    fragment_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def charts(self) -> list[Element]:
        return [element for element in self.elements if element.kind in CHART_KINDS]

    @property
    def texts(self) -> list[str]:
        return [element.text for element in self.elements if element.text]


class MessageCache:
    """The frontend's ForwardMsg cache (`ForwardMessageCache` in its connection code)."""

    def __init__(self) -> None:
        self._messages: dict[str, list] = {}  # hash -> [encoded message, run count when last used, fragment id]
        self._run_count = 0

    def hashes(self) -> list[str]:
        return list(self._messages)

    def resolve(self, message: ForwardMsg, encoded: bytes) -> ForwardMsg:
        """Keep a cacheable message; replace a reference by the message it names (with its new metadata)."""
        if message.WhichOneof("type") != "ref_hash":
            if message.metadata.cacheable and message.hash and message.hash not in self._messages:
                self._messages[message.hash] = [encoded, self._run_count, message.delta.fragment_id or None]
            return message
        entry = self._messages.get(message.ref_hash)
        if entry is None:
            raise ViewerError(f"the server referred to a message this viewer never cached ({message.ref_hash})")
        entry[1] = self._run_count
        cached = ForwardMsg.FromString(entry[0])
        cached.metadata.CopyFrom(message.metadata)
        return cached

    def run_finished(self, max_age: int, fragment_ids: list[str]) -> None:
        """Age the entries; on a fragment run only those of the fragments that ran."""
        self._run_count += 1
        for hash_, (_, used_at, fragment_id) in list(self._messages.items()):
            if fragment_ids and (fragment_id is None or fragment_id not in fragment_ids):
                continue
            if self._run_count - used_at > max_age:
                del self._messages[hash_]


class Viewer:
    """One viewer of a Streamlit page: `open()` it, change widgets, `close()`.

    Not thread-safe; one asyncio task drives one viewer. `http` is shared by viewers (the page's
    HTTP requests go over its pooled connections); each viewer has its own websocket and session.
    """

    def __init__(
        self,
        base_url: str,
        link: str = "",
        http: httpx.AsyncClient | None = None,
        timeout: float = 60,
        assets: list[str] | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.assets = assets or []
        self.query_string = link.removeprefix("?")
        self.timeout = timeout
        self.widgets: dict[str, Widget] = {}
        self.session_id = ""
        self._http = http
        self._own_http = http is None
        self._socket: ClientConnection | None = None
        self._cache = MessageCache()
        self._max_cached_message_age = 2
        self._page_script_hash = ""

    # -- the viewer's actions --------------------------------------------------------------------

    async def open(self) -> RunResult:
        """Load the page as a browser does and wait for its first run to finish."""
        if self._socket is not None:
            raise ViewerError("already open")
        started = time.perf_counter()
        if self._http is None:
            # Idle connections dropped before the server's keep-alive timeout (5 s) would close them.
            self._http = httpx.AsyncClient(timeout=self.timeout, limits=httpx.Limits(keepalive_expiry=2.0))
        page = await self._http.get(f"{self.base_url}/", params=self.query_string or None)
        page.raise_for_status()
        health, host_config = await asyncio.gather(
            self._http.get(f"{self.base_url}/_stcore/health"), self._http.get(f"{self.base_url}/_stcore/host-config")
        )
        health.raise_for_status()
        host_config.raise_for_status()
        token = page.cookies.get(XSRF_COOKIE) or self._http.cookies.get(XSRF_COOKIE) or PLACEHOLDER_AUTH_TOKEN
        socket_url = self.base_url.replace("http", "ws", 1) + "/" + STREAM_PATH
        self._socket = await connect(
            socket_url,
            subprotocols=["streamlit", token],
            origin=self.base_url,
            proxy=None,
            open_timeout=self.timeout,
            ping_interval=None,  # browsers send no websocket pings; the server's own are answered
            max_size=None,
        )
        limit = asyncio.Semaphore(6)
        fetches = asyncio.gather(*(self._fetch(path, limit) for path in self.assets))
        try:
            run = await self._run(fragment_id="", started=started)
        finally:
            await fetches
        run.seconds = time.perf_counter() - started
        return run

    async def _fetch(self, path: str, limit: asyncio.Semaphore) -> None:
        async with limit:
            response = await self._http.get(f"{self.base_url}/{path.lstrip('./')}")
        response.raise_for_status()
        # Streamlit answers an unknown path with the page itself (200, HTML), as single-page apps do.
        if response.headers.get("content-type", "").startswith("text/html") and not path.endswith(".html"):
            raise ViewerError(f"{path}: the server has no such file (it answered with the page)")

    async def rerun(self) -> RunResult:
        """Run the whole page again with the current widget values (as the frontend after a reconnect)."""
        return await self._run(fragment_id="", started=time.perf_counter())

    async def set_widget(self, key: str, choice: Any) -> RunResult:
        """Change the widget whose `key=` is `key` to `choice` (an option's label, a bool, a number)."""
        widget = self.widget(key)
        widget.value = widget.wire_value(choice)
        return await self._changed(widget)

    async def next_choice(self, key: str) -> RunResult:
        """Change the widget `key` to its next option (or flip it, or step it up)."""
        widget = self.widget(key)
        widget.value = widget.wire_value(widget.next_choice())
        return await self._changed(widget)

    def widget(self, key: str) -> Widget:
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        raise ViewerError(f"no widget with key {key!r} on the page (keys: {[w.key for w in self.widgets.values()]})")

    async def close(self) -> None:
        """Leave: close the websocket (the server then ends or stores the session)."""
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
        if self._own_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    async def __aenter__(self) -> "Viewer":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the protocol ----------------------------------------------------------------------------

    async def _changed(self, widget: Widget) -> RunResult:
        started = time.perf_counter()
        if widget.query_param_key:
            self._move_link(widget)
        return await self._run(fragment_id=widget.fragment_id, started=started)

    def _move_link(self, widget: Widget) -> None:
        query = dict(urllib.parse.parse_qsl(self.query_string, keep_blank_values=True))
        value = widget.value
        text = ",".join(value) if isinstance(value, list) else str(value).lower() if isinstance(value, bool) else value
        if widget.value == widget.default:
            query.pop(widget.query_param_key, None)
        else:
            query[widget.query_param_key] = str(text)
        self.query_string = urllib.parse.urlencode(query)

    def _back_message(self, fragment_id: str) -> bytes:
        message = BackMsg()
        run = message.rerun_script
        run.query_string = self.query_string
        run.page_script_hash = self._page_script_hash
        run.fragment_id = fragment_id
        run.widget_states.widgets.extend(
            state for state in (widget.state() for widget in self.widgets.values()) if state is not None
        )
        run.cached_message_hashes.extend(self._cache.hashes())
        run.context_info.CopyFrom(
            ContextInfo(
                timezone=VIEWER_ZONE,
                timezone_offset=-60,
                locale=VIEWER_LOCALE,
                url=f"{self.base_url}/" + (f"?{self.query_string}" if self.query_string else ""),
                is_embedded=False,
                color_scheme="dark",
            )
        )
        return message.SerializeToString()

    async def _run(self, fragment_id: str, started: float) -> RunResult:
        if self._socket is None:
            raise ViewerError("not open")
        await self._socket.send(self._back_message(fragment_id))
        try:
            return await asyncio.wait_for(self._receive_run(started), self.timeout)
        except TimeoutError as error:
            raise ViewerError(f"the run did not finish within {self.timeout} s") from error

    async def _receive_run(self, started: float) -> RunResult:
        elements: list[Element] = []
        errors: list[str] = []
        seen_widget_ids: set[str] = set()
        received = messages = 0
        first_delta: float | None = None
        while True:
            try:
                encoded = await self._socket.recv()
            except Exception as error:  # the websocket closed or broke: the viewer sees a dead page
                raise ViewerError(f"connection lost during a run: {error!r}") from error
            received += len(encoded)
            messages += 1
            message = self._cache.resolve(ForwardMsg.FromString(encoded), encoded)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self._max_cached_message_age = message.new_session.config.max_cached_message_age
                self._page_script_hash = message.new_session.page_script_hash
                if message.new_session.initialize.session_id:
                    self.session_id = message.new_session.initialize.session_id
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
                exception = message.session_event.script_compilation_exception
                errors.append(f"{exception.type}: {exception.message}")
            elif kind == "delta":
                if first_delta is None:
                    first_delta = time.perf_counter() - started
                element = self._apply_delta(message, seen_widget_ids)
                if element is not None:
                    elements.append(element)
                    if element.kind == "exception" and not element.proto.is_warning:
                        errors.append(f"{element.proto.type}: {element.proto.message}")
            elif kind == "script_finished" and message.script_finished != FINISHED_EARLY_FOR_RERUN:
                fragment_ids = list(message.metadata.run.fragment_ids)
                self._forget_widgets_not_drawn(seen_widget_ids, fragment_ids)
                self._cache.run_finished(self._max_cached_message_age, fragment_ids)
                if message.script_finished == FINISHED_WITH_COMPILE_ERROR and not errors:
                    errors.append("the script failed to compile")
                return RunResult(
                    seconds=time.perf_counter() - started,
                    first_delta_seconds=first_delta,
                    status=message.script_finished,
                    elements=elements,
                    errors=errors,
                    bytes_received=received,
                    messages=messages,
                    fragment_ids=fragment_ids,
                )

    def _apply_delta(self, message: ForwardMsg, seen_widget_ids: set[str]) -> Element | None:
        delta = message.delta
        path = tuple(message.metadata.delta_path)
        if delta.WhichOneof("type") == "add_block":
            block = delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self._track(
                    Widget(
                        id=block.expandable.id,
                        kind="expander",
                        field="bool_value",
                        fragment_id=delta.fragment_id,
                        label=block.expandable.label,
                        options=[],
                        default=block.expandable.default_expanded,
                        value=block.expandable.expanded,
                        query_param_key=block.expandable.query_param_key,
                    ),
                    seen_widget_ids,
                    server_sets=True,
                )
            return None
        if delta.WhichOneof("type") != "new_element":
            return None
        kind = delta.new_element.WhichOneof("type")
        proto = getattr(delta.new_element, kind)
        widget = _widget_from_element(kind, proto, delta.fragment_id)
        if widget is not None:
            self._track(widget, seen_widget_ids, server_sets=bool(proto.set_value))
        return Element(kind, proto, path)

    def _track(self, widget: Widget, seen_widget_ids: set[str], server_sets: bool) -> None:
        """A widget drawn by this run: new ones start as drawn; known ones keep the viewer's value
        unless the server set it."""
        seen_widget_ids.add(widget.id)
        known = self.widgets.get(widget.id)
        if known is not None and not server_sets:
            widget.value = known.value
        self.widgets[widget.id] = widget

    def _forget_widgets_not_drawn(self, seen: set[str], fragment_ids: list[str]) -> None:
        """Widgets a run did not draw are gone (on a fragment run, only the fragments' own)."""
        for widget_id, widget in list(self.widgets.items()):
            if widget_id in seen:
                continue
            if not fragment_ids or widget.fragment_id in fragment_ids:
                del self.widgets[widget_id]
