"""Which browser modules exist and where each is served, for the base template's import map."""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

JS_ROOT = Path(settings.BASE_DIR) / "static" / "js"
LIVEKIT_CLIENT = "vendor/livekit-client/livekit-client.esm.mjs"
E2EE_WORKER = "vendor/livekit-client/livekit-client.e2ee.worker.mjs"
# Audio worklets: ours (soundbites), and @sapphi-red/web-noise-suppressor's with their WASM.
NOISE = "vendor/web-noise-suppressor"
AUDIO_WORKLETS = {
    "soundbite": "worklets/soundbite-recorder.js",
    "noiseModule": f"{NOISE}/index.js",
    "rnnoise": f"{NOISE}/rnnoise/workletProcessor.js",
    "rnnoiseWasm": f"{NOISE}/rnnoise.wasm",
    "rnnoiseSimdWasm": f"{NOISE}/rnnoise_simd.wasm",
    "speex": f"{NOISE}/speex/workletProcessor.js",
    "speexWasm": f"{NOISE}/speex.wasm",
}
# Boot scripts are classic scripts, never imported.
_EXCLUDED = {"boot"}


def _module_paths() -> list[str]:
    # With hashed names, the manifest is the truth: it lists exactly what `collectstatic`
    # published, whatever the source tree holds now. Without it, the source tree is served.
    manifest: dict[str, str] | None = getattr(staticfiles_storage, "hashed_files", None)
    if manifest:
        candidates = [PurePosixPath(name) for name in manifest]
    else:
        candidates = [
            PurePosixPath(path.relative_to(JS_ROOT.parent).as_posix())
            for path in JS_ROOT.rglob("*.js")
        ]
    return sorted(
        path.as_posix()
        for path in candidates
        if path.parts[0] == "js"
        and path.suffix == ".js"
        and not _EXCLUDED.intersection(path.parts[1:])
    )


def _build_import_map() -> dict[str, dict[str, str]]:
    # Modules import each other by relative URL. In production every file is served under a
    # content-hashed name, so each plain URL is remapped to its hashed twin; without that a
    # module could mix a fresh page with stale, differently-versioned siblings.
    imports = {"livekit-client": static(LIVEKIT_CLIENT)}
    for path in _module_paths():
        plain = f"{settings.STATIC_URL}{path}"
        served = static(path)
        if served != plain:
            imports[plain] = served
    return {"imports": imports}


@functools.cache
def _cached_import_map() -> dict[str, dict[str, str]]:
    return _build_import_map()


def import_map() -> dict[str, dict[str, str]]:
    """The page's import map: `livekit-client` and every module of ours to its served URL."""
    # While developing, files come and go without a restart.
    return _build_import_map() if settings.DEBUG else _cached_import_map()


def e2ee_worker_url() -> str:
    """Where livekit-client's E2EE worker is served (a same-origin module worker)."""
    return static(E2EE_WORKER)


def audio_worklet_urls() -> dict[str, str]:
    """Where the audio worklets, the noise suppressor's module and its WASM are served."""
    return {name: static(path) for name, path in AUDIO_WORKLETS.items()}
