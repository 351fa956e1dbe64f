"""The vocabulary of service feedback and product reviews that general-purpose lexicons lack.

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
    "painless": 1.5, "hassle-free": 1.6, "trouble-free": 1.6, "hassle": -1.5,
    "runaround": -2.0, "nightmare": -2.6,
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
    # "legal" and "customer success" are departments here. ("no" keeps VADER's -1.2: a
    # bare "no" is a complaint far more often than not; "no questions asked" is a phrase.)
    "support": 0.0, "service": 0.0, "care": 0.0, "security": 0.0, "legal": 0.0,
    "benefits": 0.0, "success": 0.0, "fan": 0.0, "excel": 0.0,
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
    "working again": 1.5,
    "thanks for nothing": -2.4, "not impressed": -1.8, "could be better": -0.9,
    "could have been better": -0.9, "not great": -1.2, "not bad": 1.0,
}

# Products and films as reviewers write about them: verdicts VADER's lexicon, built from
# microblogs, lacks ("mediocre", "clunky", "gripping"), reads in another sense ("freezes",
# -0.1) or as faintly as "number" ("blurry", -0.4).
REVIEW_WORDS: dict[str, float] = {
    "junk": -2.0, "mediocre": -1.8, "bland": -1.4, "tedious": -1.6, "plodding": -1.4,
    "lackluster": -1.8, "lacklustre": -1.8, "lacks": -1.2, "lacking": -1.3, "flaw": -1.4,
    "flaws": -1.4, "drawback": -1.2, "drawbacks": -1.2, "downside": -1.2, "downsides": -1.2,
    "gripe": -1.2, "gripes": -1.2, "quibble": -0.8, "quibbles": -0.8, "glitch": -1.2,
    "glitches": -1.3, "malfunction": -1.8, "malfunctions": -1.8, "malfunctioned": -1.8,
    "inoperable": -2.0, "unusable": -2.2, "unreliable": -1.8, "flaky": -1.4, "laggy": -1.6,
    "froze": -1.4, "freezes": -1.4, "overheats": -1.6, "overheating": -1.6, "breaks": -1.6,
    "clunky": -1.5, "cumbersome": -1.5, "fiddly": -1.2, "bulky": -1.0, "sloppy": -1.6,
    "blurry": -1.2, "grainy": -1.0, "tinny": -1.2, "muffled": -1.0, "scratchy": -1.0,
    "jerky": -1.0, "choppy": -1.0, "pricey": -0.8, "expensive": -0.8, "complicated": -1.0,
    "underwhelming": -1.8, "underwhelmed": -1.6, "overrated": -1.6, "forgettable": -1.6,
    "predictable": -1.0, "pretentious": -1.6, "melodramatic": -1.2, "cliched": -1.4,
    "clichéd": -1.4, "contrived": -1.4, "formulaic": -1.4, "hackneyed": -1.6, "stale": -1.2,
    "uninspired": -1.6, "uninteresting": -1.6, "unfunny": -1.8, "unwatchable": -2.6,
    "incoherent": -1.6, "overlong": -1.4, "bloated": -1.4, "shallow": -1.2, "clumsy": -1.4,
    "hokey": -1.2, "corny": -1.0, "cheesy": -1.0, "schmaltzy": -1.2, "mawkish": -1.4,
    "self-indulgent": -1.5,
    "decent": 1.2, "handy": 1.5, "intuitive": 1.6, "versatile": 1.5, "affordable": 1.4,
    "inexpensive": 1.0, "compact": 1.0, "lightweight": 1.0, "sleek": 1.6, "stylish": 1.6,
    "crisp": 1.4, "snappy": 1.4, "convenient": 1.6, "user-friendly": 1.8, "top-notch": 2.6,
    "first-rate": 2.4, "well-made": 2.0, "well-crafted": 2.0, "well-acted": 2.0,
    "well-written": 2.0, "must-see": 2.2, "refreshing": 1.8, "intriguing": 1.4,
    "gripping": 2.0, "riveting": 2.2, "engrossing": 2.0, "poignant": 1.4, "touching": 1.6,
    "masterful": 2.6, "witty": 1.8, "worked": 0.8,
    # a shop's name, not praise
    "amazon": 0.0,
}

# Review idioms, scored as one unit: each says what its words, and VADER's negation rule
# applied to them, would get wrong ("can't beat" is praise, "don't waste" a warning, "at
# least" no complaint).
REVIEW_PHRASES: dict[str, float] = {
    "can't beat": 2.0, "cannot beat": 2.0, "can't wait": 1.8, "cannot wait": 1.8,
    "couldn't be happier": 3.0, "could not be happier": 3.0, "can't complain": 1.2,
    "can't say enough": 2.0, "can't ask for more": 1.8, "couldn't ask for more": 1.8,
    "a steal": 2.0, "worth every penny": 2.4, "worth the money": 1.8, "worth the price": 1.8,
    "not worth": -1.8, "don't waste": -1.8, "do not waste": -1.8, "don't buy": -2.0,
    "do not buy": -2.0, "stay away": -2.0, "returned it": -1.5, "return it": -1.2,
    "returning it": -1.8, "sent it back": -1.6, "send it back": -1.4, "money back": -1.2,
    "fell apart": -1.8, "falls apart": -1.8, "fell flat": -1.8, "falls flat": -1.8,
    "quit working": -1.8, "stopped responding": -1.8, "does the job": 1.2,
    "does the trick": 1.4, "as advertised": 1.2, "as described": 1.0, "user friendly": 1.8,
    "well made": 2.0, "well done": 2.0, "must see": 2.2, "don't have to": 0.8,
    "dont have to": 0.8, "no longer have to": 1.0, "never have to": 0.8,
    "save your money": -2.0, "no doubt": 0.0, "at least": 0.0,
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
