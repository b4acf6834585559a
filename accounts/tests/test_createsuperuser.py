"""`manage.py createsuperuser`: unattended with DJANGO_SUPERUSER_*, the display name defaulting
to the username there and at the prompt."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

PASSWORD = "a long admin passphrase 42"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_superuser_env(monkeypatch):
    for name in ("USERNAME", "PASSWORD", "DISPLAY_NAME"):
        monkeypatch.delenv(f"DJANGO_SUPERUSER_{name}", raising=False)


@pytest.mark.django_db
def test_noinput_with_only_a_username_uses_it_as_the_display_name(monkeypatch, no_superuser_env):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", "--noinput", "--username", "Admin", stdout=io.StringIO())

    admin = User.objects.get(username="Admin")
    assert (admin.display_name, admin.is_staff, admin.is_superuser) == ("Admin", True, True)
    assert admin.check_password(PASSWORD)


@pytest.mark.django_db
def test_noinput_takes_everything_from_the_environment(monkeypatch, no_superuser_env):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root_admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", "--noinput", stdout=io.StringIO())
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "second")
    monkeypatch.setenv("DJANGO_SUPERUSER_DISPLAY_NAME", "The Operator")
    call_command("createsuperuser", "--noinput", stdout=io.StringIO())

    names = dict(User.objects.values_list("username", "display_name"))
    assert names == {"root_admin": "root_admin", "second": "The Operator"}


@pytest.mark.django_db
def test_noinput_display_name_option_wins(monkeypatch, no_superuser_env):
    monkeypatch.setenv("DJANGO_SUPERUSER_DISPLAY_NAME", "From the environment")

    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "boss",
        "--display_name",
        "From the option",
        stdout=io.StringIO(),
    )

    assert User.objects.get(username="boss").display_name == "From the option"


@pytest.mark.django_db
def test_noinput_without_a_username_still_says_so(no_superuser_env):
    with pytest.raises(CommandError, match="You must use --username with --noinput"):
        call_command("createsuperuser", "--noinput", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_noinput_refuses_a_username_taken_in_another_case(alice, no_superuser_env):
    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", "--noinput", "--username", "ALICE", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_prompt_offers_the_username_as_display_name(monkeypatch, no_superuser_env):
    answers = iter(["keeper", ""])
    prompts: list[str] = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": PASSWORD)

    call_command("createsuperuser", stdin=_Terminal(), stdout=io.StringIO())

    assert prompts[1] == "Display name (leave blank to use 'keeper'): "
    assert User.objects.get(username="keeper").display_name == "keeper"


@pytest.mark.django_db
def test_the_prompt_keeps_a_display_name_typed_in(monkeypatch, no_superuser_env):
    answers = iter(["keeper", "Gate Keeper"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": PASSWORD)

    call_command("createsuperuser", stdin=_Terminal(), stdout=io.StringIO())

    assert User.objects.get(username="keeper").display_name == "Gate Keeper"
