"""The vocabulary of service feedback that general-purpose lexicons lack.

Valences are on VADER's scale (-4 … +4), chosen by reading how people write about help they
got: "slow", "late", "never answered" and "still waiting" are complaints; "quick", "sorted",
"resolved" and "lifesaver" are praise. Words VADER already scores sensibly are left to it.
"""

# fmt: off
# Single words, lower-case. Added to (or overriding) VADER's lexicon.
SERVICE_WORDS: dict[str, float] = {
    # speed and time
    "slow": -1.5, "slowly": -1.2, "sluggish": -1.5, "late": -1.5, "later": 0.0,
    "overdue": -1.6, "delayed": -1.5, "delays": -1.5, "delay": -1.5, "forever": -1.2,
    "ages": -1.0, "eternity": -1.5, "backlog": -1.0,
    "quick": 1.6, "quickly": 1.6, "fast": 1.6, "speedy": 1.8, "swift": 1.8, "swiftly": 1.8,
    "prompt": 1.6, "promptly": 1.6, "punctual": 1.5, "early": 0.8, "instantly": 1.5,
    "immediately": 1.2, "asap": 0.0,
    # outcome
    "resolved": 1.5, "solved": 1.6, "fixed": 1.5, "sorted": 1.4, "handled": 1.0,
    "unresolved": -1.8, "broken": -1.8, "damaged": -1.9, "defective": -2.0, "faulty": -1.8,
    "missing": -1.3, "wrong": -1.6, "incorrect": -1.5, "lost": -1.4, "crashed": -1.8,
    "crashes": -1.8, "outage": -1.8, "bug": -1.2, "buggy": -1.8, "glitchy": -1.6,
    "refunded": 1.0, "reimbursed": 1.2, "replaced": 0.6, "works": 1.0, "working": 0.4,
    # manner
    "rude": -2.2, "dismissive": -2.0, "condescending": -2.2, "unhelpful": -2.0,
    "unresponsive": -2.0, "ignored": -1.8, "ignoring": -1.8, "clueless": -2.0,
    "incompetent": -2.4, "helpful": 1.9, "responsive": 1.5, "attentive": 1.6,
    "patient": 1.4, "courteous": 1.8, "professional": 1.5, "knowledgeable": 1.6,
    "thorough": 1.4, "efficient": 1.8, "smooth": 1.5, "smoothly": 1.5, "seamless": 1.8,
    "painless": 1.5, "hassle": -1.5, "runaround": -2.0, "nightmare": -2.6,
    "lifesaver": 2.6, "legend": 2.0, "kudos": 2.2, "rockstar": 2.2, "hero": 1.8,
    "useless": -2.0, "pointless": -1.6, "chasing": -1.2, "chase": -1.0, "chased": -1.2,
    "nagging": -1.2, "again": 0.0, "unacceptable": -2.4, "appalling": -2.6,
    "recommend": 1.5, "recommended": 1.5, "disappointing": -2.0, "meh": -0.6,
    "thx": 1.5, "ty": 1.2, "cheers": 1.5, "grateful": 2.0, "appreciated": 1.8,
    # product quality, as customers write it
    "reliable": 1.6, "dependable": 1.6, "transparent": 1.2, "simple": 1.0, "easily": 1.2,
    "sturdy": 1.5, "durable": 1.5, "rubbish": -2.0, "overpriced": -1.6, "flimsy": -1.6,
    "shambolic": -2.2, "wobbly": -1.2, "leaks": -1.4, "leaking": -1.4, "leaky": -1.4,
    "cracked": -1.5, "chipped": -1.2, "fraying": -1.2, "frayed": -1.2, "broke": -1.6,
    "flimsier": -1.6, "nope": -1.0, "dud": -1.8,
    # Names of teams and things, not opinions: "support", "customer care", "security",
    # "legal" and "customer success" are departments here. "no" still negates what
    # follows it (VADER's rules), but "no questions asked" is not a complaint.
    "support": 0.0, "service": 0.0, "care": 0.0, "security": 0.0, "legal": 0.0,
    "benefits": 0.0, "success": 0.0, "fan": 0.0, "excel": 0.0, "no": 0.0,
}

# Phrases, lower-case, matched on word boundaries before scoring and scored as one unit.
# Each says something none of its words says alone.
SERVICE_PHRASES: dict[str, float] = {
    "never answered": -2.0, "never replied": -2.0, "never responded": -2.0,
    "never got back": -2.0, "never heard back": -2.0, "never arrived": -2.2,
    "no answer": -1.8, "no reply": -1.8, "no response": -1.8, "no one answered": -2.0,
    "nobody answered": -2.0, "nobody replied": -2.0, "no one replied": -2.0,
    "still waiting": -1.8, "been waiting": -1.6, "no update": -1.4, "no updates": -1.4,
    "pending since": -1.4, "still not": -1.5, "still no": -1.6, "still broken": -2.2,
    "still pending": -1.6, "kept waiting": -1.8, "waiting for weeks": -2.0,
    "took forever": -2.0, "takes forever": -2.0, "took ages": -1.8, "takes ages": -1.8,
    "on hold": -1.2, "put on hold": -1.5, "passed around": -1.6, "bounced around": -1.6,
    "closed without": -1.8, "without a fix": -1.8, "without fixing": -1.8,
    "not fixed": -1.8, "not resolved": -1.8, "not working": -1.8, "doesn't work": -1.8,
    "does not work": -1.8, "didn't work": -1.6, "stopped working": -1.8,
    "waste of": -2.0, "waste of money": -2.4, "zero replies": -2.0, "no replies": -1.8,
    "never received": -2.2, "never responds": -2.0, "nobody answers": -2.0,
    "no one answers": -2.0, "didn't bother": -1.8, "did not bother": -1.8,
    "let me down": -1.8, "let us down": -1.8, "not been paid": -2.0, "haven't been paid": -2.0,
    "hasn't been paid": -2.0, "no questions asked": 1.6, "straight away": 1.4,
    "10/10": 2.2, "5 stars": 2.0, "five stars": 2.0, "1 star": -2.0, "one star": -2.0,
    "fell through the cracks": -1.8,
    "in no time": 1.8, "in minutes": 1.2, "within minutes": 1.5, "within the hour": 1.3,
    "same day": 1.2, "right away": 1.4, "above and beyond": 2.6, "went the extra mile": 2.4,
    "went out of their way": 2.2, "saved the day": 2.4, "saved my day": 2.4,
    "thank you": 1.8, "thanks a lot": 2.0, "much appreciated": 2.0, "no problem": 0.8,
    "no issues": 1.2, "no complaints": 1.4, "no hassle": 1.4, "zero issues": 1.4,
    "spot on": 1.8, "on time": 1.2, "as promised": 1.2, "up and running": 1.5,
    "thanks for nothing": -2.4, "not impressed": -1.8, "could be better": -0.9,
    "could have been better": -0.9, "not great": -1.2, "not bad": 1.0,
}

# Words after which a sentence's verdict usually lies ("friendly, but nothing arrives").
CONTRAST_WORDS = frozenset({"but", "however", "although", "though", "yet", "whereas"})

# Openers that turn the praise after them into sarcasm ("Oh great, another outage").
SARCASM_OPENERS = ("oh great", "oh wonderful", "oh perfect", "oh fantastic", "just great",
                   "just perfect", "just what i needed", "love how", "love that", "gotta love",
                   "yeah right", "thanks a lot for nothing", "wow, thanks")

# Emoji and emoticons. VADER turns emoji into descriptions its lexicon mostly lacks
# ("thumbs up"), so they are scored directly.
EMOJI: dict[str, float] = {
    "👍": 1.8, "👏": 2.0, "🙌": 2.0, "🙏": 1.5, "💯": 2.0, "🎉": 2.0, "🥳": 2.2, "❤": 2.4,
    "❤️": 2.4, "💙": 2.2, "💚": 2.2, "😀": 2.0, "😃": 2.0, "😄": 2.2, "😁": 2.0, "😊": 2.0,
    "🙂": 1.2, "😍": 2.6, "🤩": 2.6, "😎": 1.5, "✅": 1.2, "⭐": 1.5, "🌟": 1.8, "🔥": 1.5,
    "🚀": 1.5, "🥰": 2.4, "😉": 1.0, "🤗": 1.8, "👌": 1.6, "💪": 1.5,
    "👎": -1.8, "😞": -2.0, "😔": -1.8, "😢": -2.0, "😭": -2.2, "😡": -2.6, "🤬": -2.8,
    "😠": -2.4, "😤": -1.8, "🙄": -1.8, "😒": -1.8, "😩": -2.0, "😫": -2.0, "🤦": -1.8,
    "🤦‍♂️": -1.8, "🤦‍♀️": -1.8, "💩": -2.2, "😑": -1.0, "😐": -0.6, "🙁": -1.4, "☹": -1.6,
    "☹️": -1.6, "😬": -1.0, "🐢": -1.2, "🐌": -1.2, "⏳": -0.6, "❌": -1.2, "💀": -1.0,
    "😕": -1.2, "😟": -1.4, "🥲": -0.5, "😅": 0.3,
}
# fmt: on
