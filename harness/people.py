"""People using the app in the browser: each has their own context (cookies, storage) and page."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from .sfu import FakeSfu, install_fake_sfu

PASSWORD = "correct horse battery staple"

# Reports CSP violations as console errors, which the console listener then collects.
CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (event) => {
  const blocked = event.blockedURI || 'inline';
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""

# The one console error a page may show while no LiveKit server runs (the media layer trying).
LIVEKIT_FAILURE = re.compile(r"livekit|could not establish (pc|signal) connection", re.IGNORECASE)

# livekit-client logs (or throws from an event handler, unhandled) a track or an encryption
# status that arrives a moment before (or after) its participant: nothing a person notices.
SDK_NOISE = re.compile(
    r"Tried to add a track for a participant, that's not present"
    r"|couldn't set encryption status, participant not found"
)

_serial = itertools.count(1)


@dataclass
class Person:
    username: str
    display_name: str
    context: BrowserContext
    page: Page
    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    fake_sfu: FakeSfu | None = None

    def allow_console(self, pattern: str) -> None:
        """Accepts console errors matching `pattern` (an HTTP error the test provokes)."""
        self.allowed.append(re.compile(pattern))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        if LIVEKIT_FAILURE.search(text) and "CSP violation" not in text:
            return
        # The real SDK probing the media server that no test runs (its URL is in the location).
        if "/livekit/" in message.location.get("url", "") and "Failed to load resource" in text:
            return
        if SDK_NOISE.search(text) or any(pattern.search(text) for pattern in self.allowed):
            return
        self.problems.append(f"{self.username}: console error: {text}")

    def _on_page_error(self, error: Exception) -> None:
        if not SDK_NOISE.search(str(error)):
            self.problems.append(f"{self.username}: {error}")

    def watch(self) -> None:
        self.context.add_init_script(CSP_WATCH)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    @property
    def sfu(self) -> FakeSfu:
        """The fake LiveKit this person's page talks to (people made with `sfu=True`)."""
        assert self.fake_sfu is not None, "made without sfu=True"
        return self.fake_sfu

    # --- Things a person does -----------------------------------------------------------------

    def api(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        """Calls the API with this person's session cookie and CSRF token, as the page does."""
        cookies = {c["name"]: c["value"] for c in self.context.cookies()}
        response = self.context.request.fetch(
            f"{self.base_url}{path}",
            method=method,
            data=data,
            headers={"X-CSRFToken": cookies.get("csrftoken", ""), "Referer": f"{self.base_url}/"},
        )
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json()

    @property
    def base_url(self) -> str:
        return self.page.url.split("/", 3)[0] + "//" + self.page.url.split("/", 3)[2]

    def room_button(self, name: str) -> Any:
        return self.page.locator("#room-list .room-button", has_text=name)

    def join(self, room: str) -> None:
        self.room_button(room).click()
        expect(self.page.locator("#room-name")).to_have_text(room)
        expect(self.page.locator("#room-status")).not_to_contain_text("Joining")

    def expect_in_room(self, room: str) -> None:
        expect(self.page.locator("#room-name")).to_have_text(room)

    def room_members(self, room: str) -> Any:
        item = self.page.locator(
            "#room-list .room-item", has=self.page.locator(".room-label", has_text=room)
        )
        return item.locator(".member-name")

    def tile(self, display_name: str) -> Any:
        return self.page.locator(
            "#tile-grid .tile", has=self.page.locator(".tile-name", has_text=display_name)
        )


@dataclass
class Crowd:
    """Everyone taking part in one test."""

    browser: Browser
    base_url: str
    tag: str
    people: list[Person] = field(default_factory=list)
    # How long a page may take to load or act; None keeps Playwright's default. A benchmark
    # crowding a busy machine with pages needs more than a test does.
    patience_ms: float | None = None

    def unique(self, stem: str) -> str:
        # Usernames are 3-32 of [A-Za-z0-9_]; one shared server sees every test's people.
        digest = hashlib.sha1(self.tag.encode()).hexdigest()[:6]
        return f"{stem[:14]}_{digest}{next(_serial)}"

    def newcomer(
        self,
        stem: str,
        display_name: str | None = None,
        *,
        sfu: bool = False,
        **context_options: Any,
    ) -> Person:
        """Someone with a fresh browser, on the sign-in page, without an account yet.

        With `sfu`, their pages talk to the in-page fake LiveKit (`person.sfu`) instead of
        trying to reach a media server."""
        context = self.browser.new_context(base_url=self.base_url, **context_options)
        if self.patience_ms is not None:
            context.set_default_timeout(self.patience_ms)
        if sfu:
            install_fake_sfu(context)
        page = context.new_page()
        person = Person(self.unique(stem), display_name or stem.title(), context, page)
        if sfu:
            person.fake_sfu = FakeSfu(page)
        person.watch()
        self.people.append(person)
        page.goto("/login")
        return person

    def member(
        self,
        stem: str,
        display_name: str | None = None,
        *,
        sfu: bool = False,
        **context_options: Any,
    ) -> Person:
        """Someone registered (through the API, as the page does) and on the room page."""
        person = self.newcomer(stem, display_name, sfu=sfu, **context_options)
        person.api(
            "POST",
            "/api/session/register",
            {
                "username": person.username,
                "display_name": person.display_name,
                "password": PASSWORD,
            },
        )
        person.page.goto("/")
        expect(person.page.locator("#room-name")).not_to_have_text("Select a room to join")
        return person

    def assert_clean(self) -> None:
        problems = [problem for person in self.people for problem in person.problems]
        assert problems == [], "\n".join(problems)

    def close(self) -> None:
        for person in self.people:
            person.context.close()


@contextmanager
def gathered(browser: Browser, base_url: str, tag: str) -> Iterator[Crowd]:
    """The people of one test; afterwards, fails the test on any console error or CSP report."""
    crowd = Crowd(browser=browser, base_url=base_url, tag=tag)
    try:
        yield crowd
        crowd.assert_clean()
    finally:
        crowd.close()
