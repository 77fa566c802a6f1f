"""The two most asked-for answers without FastAPI's routing and parameter solving: same endpoint, same answer.

`GET /api/v1/predictions/{area}/{consumer_type}` and `GET /api/v2/series/{area}/{consumer_type}` in
their default form are answered from bodies rendered once per snapshot, yet routing (a regex per route
until one matches) and FastAPI's dependency and parameter solving took over half of each request's
time in the app (BENCHMARKS.md, "API to the floor"). This middleware, the innermost one (inside CORS,
the request id, the access log and metrics), recognises only the plainest form of those two URLs
(no query string, path codes written the one canonical way the route parses to the same value) and
calls the route's own endpoint function with the values FastAPI would pass. Anything else, and any
answer the endpoint gives as an `HTTPException` (404, 406, 503), goes on to the full route, which
answers as it always did; so does everything while a test overrides a dependency.

The matched endpoint and route are left in the scope as the router leaves them, so the access log
and the metrics name the route template as before.
"""

import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from api.v1 import routes as v1
from api.v2 import routes as v2
from api.v2.params import CODE_PATTERN

# v1 codes are ints: only the digits `int()` and pydantic read alike (no sign, no leading zero, no `_`).
V1_CODE = r"(?:0|[1-9][0-9]{0,8})"
# v2 codes are strings checked against CODE_PATTERN: the lane takes exactly what that pattern accepts.
V2_CODE = "(?:" + CODE_PATTERN.removeprefix("^").removesuffix("$") + ")"

Answer = Callable[[Request, str, str], Awaitable[Response]]


async def _predictions(request: Request, area: str, consumer_type: str) -> Response:
    return await v1.predictions(int(area), int(consumer_type), await v1.served(request))


async def _series(request: Request, area: str, consumer_type: str) -> Response:
    # The route's defaults for every query parameter (the lane takes no query string); `Accept` as
    # FastAPI reads a single-valued header: the first one given.
    accept = request.headers.get("accept")
    return await v2.series(area, consumer_type, request, "UTC", None, None, None, accept)


Lane = tuple[re.Pattern[str], APIRoute, Answer]


def hot_lanes(v1_routes: list[BaseRoute], v1_prefix: str, v2_routes: list[BaseRoute], v2_prefix: str) -> list[Lane]:
    """(path regex, the route it stands for, how it answers) for each lane, from the versions' routers."""
    wanted = {
        f"{v1_prefix}/predictions/{{area}}/{{consumer_type}}": (V1_CODE, _predictions),
        f"{v2_prefix}/series/{{area}}/{{consumer_type}}": (V2_CODE, _series),
    }
    lanes = []
    for prefix, routes in ((v1_prefix, v1_routes), (v2_prefix, v2_routes)):
        for route in routes:
            path = prefix + getattr(route, "path", "")
            if isinstance(route, APIRoute) and path in wanted:
                code, answer = wanted.pop(path)
                template = re.escape(path.removesuffix("/{area}/{consumer_type}"))
                lanes.append((re.compile(f"{template}/(?P<area>{code})/(?P<consumer_type>{code})"), route, answer))
    if wanted:
        raise RuntimeError(f"hot lanes without a route: {sorted(wanted)}")
    return lanes


class HotRoutes:
    """Pure ASGI, innermost: answers a lane's plain GET itself, hands everything else to the app unchanged."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI, lanes: list[Lane]) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.lanes = lanes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope["query_string"]
            and not self.fastapi_app.dependency_overrides
        ):
            path = get_route_path(scope)
            for pattern, route, answer in self.lanes:
                match = pattern.fullmatch(path)
                if match is None:
                    continue
                try:
                    response = await answer(Request(scope, receive), match["area"], match["consumer_type"])
                except HTTPException:
                    break  # the full route gives the same error its usual way (handler, headers, body)
                scope["endpoint"] = route.endpoint
                scope["route"] = route
                scope["path_params"] = match.groupdict()
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
