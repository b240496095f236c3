"""The typed way to the APIs: declared endpoints in, unwrapped and validated values out.

`Api` sends any declared endpoint to its base and owns each base's quirks: the Sevalla company id
learnt once from its `/validate`, and which Sevalla v3 metric window names worked
(docs/api-notes.md#v3-window). `ReadApi` is the same door for planning: it refuses every endpoint
that is not a GET, so a tool that plans a change cannot send one before the gate said yes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from kinsta_mcp.api.endpoint import Base, Endpoint
from kinsta_mcp.client import KinstaClient
from kinsta_mcp.errors import InvalidInput, KinstaError

SEVALLA_ONLY = (
    "needs the Sevalla API: set SEVALLA_API_KEY (create a key in the Sevalla dashboard > Company settings > "
    "API Keys). Nothing was sent."
)


class PlanningWrite(RuntimeError):
    """A programming error: a plan tried to send a mutating request. Changes run only through the gate."""


@dataclass
class Reply:
    status: int
    body: Any  # the whole JSON answer
    value: Any  # the unwrapped (and validated) part; None for a status the caller accepted as a state
    headers: httpx2.Headers


class Api:
    def __init__(
        self,
        kinsta: KinstaClient,
        *,
        company_id: str,
        sevalla: KinstaClient | None = None,
        sevalla_v3: KinstaClient | None = None,
    ) -> None:
        self.kinsta = kinsta
        self.company_id = company_id
        self.clients: dict[Base, KinstaClient | None] = {
            Base.KINSTA: kinsta,
            Base.PAAS: sevalla or kinsta,
            Base.V3: sevalla_v3,
        }
        self.on_sevalla = sevalla is not None
        self._paas_company = "" if sevalla is not None else company_id
        self.v3_window: tuple[str, str] = (
            "from",
            "to",
        )  # the pair Sevalla v3 accepted last (docs/api-notes.md#v3-window)
        self.listeners: list[Callable[[], None]] = []  # told when a change may alter the site listing

    @property
    def service(self) -> str:
        """Which API serves applications, databases and static sites, for messages."""
        return "Sevalla" if self.on_sevalla else "Kinsta"

    def has(self, base: Base) -> bool:
        return self.clients[base] is not None

    def client(self, endpoint: Endpoint) -> KinstaClient:
        found = self.clients[endpoint.base]
        if found is None or (endpoint.sevalla_only and not self.on_sevalla):
            raise InvalidInput(f"{endpoint.method} {endpoint.path} {SEVALLA_ONLY}")
        return found

    async def call(
        self,
        endpoint: Endpoint,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        accept: frozenset[int] = frozenset(),
        **path: Any,
    ) -> Reply:
        client = self.client(endpoint)
        try:
            response = await client.request(
                endpoint.method,
                endpoint.url(path),
                params=query,
                json=body,
                accept=accept,
                creates=endpoint.rate.value == "create",
                moved=endpoint.moved,
                rate=endpoint.rate.value,
            )
        except KinstaError as failure:  # an API that quotes a password it was sent must not show it to the model
            raise failure.without(secrets_in(body)) from None
        ok = 200 <= response.status < 300
        value = endpoint.unwrapped(response.data, service=client.service.name, status=response.status) if ok else None
        if ok and endpoint.relists:
            self.changed()
        return Reply(response.status, response.data, value, response.headers)

    async def get(self, endpoint: Endpoint, *, query: dict[str, Any] | None = None, **path: Any) -> Any:
        """The unwrapped value of a read."""
        return (await self.call(endpoint, query=query, **path)).value

    def changed(self) -> None:
        for listener in self.listeners:
            listener()

    async def paas_company(self) -> str:
        """The company id PaaS list calls take: Kinsta's, or Sevalla's own, learnt once from its /validate."""
        if not self._paas_company:
            from kinsta_mcp.api.common import PAAS_VALIDATE

            self._paas_company = str((await self.get(PAAS_VALIDATE)).company)
        return self._paas_company

    def read_only(self) -> ReadApi:
        return ReadApi(self)


class ReadApi:
    """What planning may use: every GET of `Api`, and nothing that changes anything."""

    def __init__(self, api: Api) -> None:
        self._api = api
        self.company_id = api.company_id

    @property
    def service(self) -> str:
        return self._api.service

    @property
    def on_sevalla(self) -> bool:
        return self._api.on_sevalla

    @property
    def v3_window(self) -> tuple[str, str]:
        return self._api.v3_window

    @v3_window.setter
    def v3_window(self, names: tuple[str, str]) -> None:
        self._api.v3_window = names  # a read that learnt which names work: not a change of anything remote

    def has(self, base: Base) -> bool:
        return self._api.has(base)

    def need_v3(self, what: str) -> None:
        """Before anything is resolved or sent: `what` exists only in the Sevalla v3 API, which needs its key."""
        if not self._api.has(Base.V3):
            raise InvalidInput(f"{what}: only the Sevalla v3 API has this, and it {SEVALLA_ONLY}")

    async def call(self, endpoint: Endpoint, **kwargs: Any) -> Reply:
        if endpoint.mutates:
            raise PlanningWrite(f"planning tried to send {endpoint.method} {endpoint.path}; changes run via the gate")
        return await self._api.call(endpoint, **kwargs)

    async def get(self, endpoint: Endpoint, *, query: dict[str, Any] | None = None, **path: Any) -> Any:
        return (await self.call(endpoint, query=query, **path)).value

    async def paas_company(self) -> str:
        return await self._api.paas_company()


def secrets_in(body: Any) -> list[str]:
    """The values of a request body's secret-named fields (passwords, keys, tokens, certificates…), at any depth."""
    from kinsta_mcp.openapi.shaping import secret_field  # the one list of secret names; loaded only on an error

    found: list[str] = []

    def walk(node: Any, name: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, str(key))
        elif isinstance(node, list):
            for value in node:
                walk(value, name)
        elif isinstance(node, str) and (secret_field(name) or name in SECRET_BODY_FIELDS):
            found.append(node)

    walk(body, "")
    return found


# Secret fields the name rule does not catch: a TLS key and certificate pasted for a custom domain.
SECRET_BODY_FIELDS = frozenset({"custom_ssl_key", "custom_ssl_cert", "ssl_key", "private_key", "value"})
