"""Rule-based question checker: open vs closed, leading, double-barrelled, with reasons a person can read."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

# Words that carry no question force at the start of a clause in speech ("So, um, okay, what ...").
DISCOURSE_MARKERS = (
    "so", "and", "but", "or", "now", "then", "well", "okay", "ok", "alright", "all right", "yeah", "yes", "yep",
    "right", "oh", "ah", "hmm", "mm", "mm-hmm", "mhm", "uh-huh", "um", "uh", "er", "erm", "great", "good", "sure",
    "also", "just", "actually", "again", "i mean", "i guess", "you know", "like", "anyway", "hi", "hey", "wow",
    "cool", "fine", "fantastic", "excellent", "thanks", "thank you", "indeed", "i see", "gotcha", "kind of",
    "sort of", "let me ask you this", "let me ask you something", "let me ask you", "i'm curious", "tell me",
)

# Auxiliaries that open a yes/no question when they come first and a subject follows ("Do you ...?").
YES_NO_AUXILIARIES = (
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "would", "will", "should", "shall", "may",
    "might", "have", "has", "had", "am", "must", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
    "weren't", "can't", "couldn't", "wouldn't", "won't", "shouldn't", "haven't", "hasn't", "hadn't",
)
# Subjects that follow a yes/no auxiliary ("Is that ...", "Do you ...") or a scene-setting "when you're ...".
SUBJECTS = ("you", "i", "we", "they", "he", "she", "it", "that", "this", "there", "these", "those", "your", "my",
            "the", "a", "an", "any", "anyone", "anything", "someone", "something", "everything", "people", "what",
            "you're", "you've", "you'd", "i'm", "i've", "we're", "they're", "it's", "there's", "he's", "she's", "ya")

# A wh-word first (with contractions: "what's", "why'd") makes an open question.
WH_START = re.compile(r"^(in what|to what|what|how|why|where|who|whom|whose|which|when)('s|'d|'re|'ll)?(?=\W|$)")

# Fact-narrowing openers: AnnoMI annotators label these closed (a count, a time, a name, a place, a superlative).
# "When" questions were closed in 10 of 12 tuning rows, "who is/where are" mostly so; "how much/often/long"
# were split evenly, so they stay open, as do "who could/where would" (they ask for ideas).
FACT_QUESTIONS = re.compile(r"^(how many|what time|what day|what year|what date|how old|which one|what number|"
                            r"which of (these|those|the two)|what percentage|what grade|how far|how long ago|how often|"
                            r"how long (have|has|did|do|does|is|are|was|will)|"
                            r"what('s| is| was) (your|the|his|her) (longest|shortest|favou?rite|name|age)\b|"
                            r"what('s| is| was) (your|the|his|her) ([\w-]+ ){0,3}(date|deadline|name|title|level|grade|number)\??$|"
                            r"who('s| is| are| was| were)\b|where('s| is| are| was| were)\b|"
                            r"when (do|does|did|is|are|was|were|will|would|can|could|should|'s)\b)")
# Scale (ruler) questions ask for a number: closed in 2 of 3 tuning rows whatever the wh-word.
SCALE = re.compile(r"\b(on a scale|on that scale|same scale|the scale|\d+ to (10|ten|100)|(zero|one) to (ten|10))\b")

# Requests phrased with a modal are invitations to talk, not yes/no questions ("Can you tell me ...?").
OPEN_REQUESTS = re.compile(
    r"^((i'm wondering |i wonder |i was wondering )?if )?(can|could|would|will) you (please |perhaps |maybe |just )*"
    r"(tell|describe|share|say more|say something|say a (little )?(bit )?more|talk|walk|explain|give me|"
    r"help me understand|expand|elaborate|think of|fill me in|"
    r"unpack|paint)\b|^(do|would) you (want|like|care) to (tell|talk|walk|share|describe|say more|explain)\b|"
    r"^would you mind (telling|filling|sharing|describing|saying|talking|explaining|walking)\b|"
    r"^(do you have|have you had|have you got) (a|an|any) (idea|ideas|sense|thoughts?|plan|feeling)s?( yourself)? "
    r"(about|of|as to|on|why|what|how|where)\b")

# Imperative prompts and embedded questions that invite an open answer.
OPEN_PROMPTS = re.compile(
    r"^((please )?(tell me|tell us|describe|walk me through|talk me through|take me through|talk to me|"
    r"say (something |a (little )?(bit )?)?more|talk (to me )?about|help me understand|share|explain|"
    r"give me (an|some) example|fill me in|paint me|remind me (again )?(why|what|how)|let's talk about|"
    r"let's explore|imagine|think about what|think back)|"
    r"((i'm|i am|i was|i'd be|i'm just|i was just) )?(wondering|curious|interested) (about |to know |to hear )?"
    r"(what|how|why|where|who|which|when)|i wonder (what|how|why|where|who|which|when)|"
    r"i don't know (what|how|why)|i'd (like|love) to (know|hear|understand|learn) (more |about |what|how|why|where|"
    r"which|who|when)|"
    r"(what|how) about\b|anything else|any (other|thoughts|ideas|not-so-good)|something else|what else|how else)")
# The same prompts inside a sentence without a question mark ("So, I need you to tell me a bit more about ...").
PROMPT_ANYWHERE = re.compile(
    r"\b(tell me|talk to me|say (something |a (little )?(bit )?)?more|describe|walk me through|help me understand|"
    r"remind me (again )?(why|what|how)|(wondering|curious|wonder) (about )?(what|how|why|where))\b")

# Embedded yes/no questions ("I'm wondering if you'd be open to ...") are closed.
EMBEDDED_YES_NO = re.compile(r"^(i'm|i am|i was|i'm just|i was just|i) (just )?(wondering|wonder|curious) (if|whether)\b")

# Permission questions ask leave to go on; the AnnoMI annotators label them closed ("Is it okay if I ...?").
PERMISSION = re.compile(r"^((is|would) (it|that) be (ok|okay|alright|all right)|(is|would) (it|that) (ok|okay) if|"
                        r"(can|could|may|might) i (share|give|offer|show|tell|suggest|make|run|talk)|"
                        r"would you mind|do you mind)\b")

# A preface that only announces a question ("Can I ask you, what ...?"): the clause after it decides.
ASK_PREFACE = re.compile(r"^((can|could|may) i ask( you)?|let me ask( you)?|i want to ask( you)?|"
                         r"i'd like to ask( you)?|i have a question)\b")

# Tag questions turn a statement into a bid for agreement: closed, and leading.
TAG_QUESTION = re.compile(
    r"(,|\b(it|that|this|you)\b.*)\s*(right|correct|okay|ok|yeah|no|yes|huh|true|eh|isn't it|is it|aren't you|"
    r"don't you|doesn't it|didn't you|wasn't it|won't you|wouldn't it|can't you|haven't you|isn't that|"
    r"shouldn't you|don't they|aren't they|yes or no)\s*\?$")
# A trailing "..., or?" leaves the answer open; annotators labelled 11 of 14 tuning rows open.
TRAILING_OR = re.compile(r"\bor\W*$")
# A wh-question tucked after "and"/"so" at the end of a long sentence ("..., and how's that going?").
LATE_WH = re.compile(r"\b(and|so|but|then) (what|how|why)('s|'d)?\b[^?]*\?$")

# Subordinate openers: a non-final clause starting with these sets the scene, it does not ask.
SUBORDINATORS = ("when", "where", "while", "if", "as", "because", "since", "after", "before", "once", "until",
                 "given", "thinking", "knowing", "looking", "for", "with", "whatever")

# Wordings that push towards one answer, with the reason shown to the user.
LEADING_PATTERNS: list[tuple[str, str]] = [
    (r"\b(don't|wouldn't|won't) you (think|agree|say)\b|\b(do|would) you agree\b",
     "asks for agreement ('don't you think', 'wouldn't you agree')"),
    (r"\b(isn't|wasn't) it (true|clear|obvious|fair to say)\b|\bit's (obvious|clear) that\b",
     "presents an opinion as fact ('isn't it true')"),
    (r"\bsurely\b|(^|,\s*)(obviously|clearly|of course|naturally)\b", "signals the expected answer ('surely')"),
    (r"\b(shouldn't|oughtn't) you\b|\bshould(n't)? you not\b", "tells the person what they should do ('shouldn't you')"),
    (r"^(don't|doesn't|didn't|isn't|aren't|wasn't|weren't|wouldn't|won't|haven't|hasn't|can't|couldn't)\b|"
     r"^(would|is|do|does|did|could) (it|you|that) not\b", "a negative yes/no question expects 'yes'"),
    (r"^why (haven't|didn't|don't|won't|can't|aren't|isn't|hasn't|wouldn't|couldn't) you\b",
     "'why haven't you...' presupposes a failure or pushes a suggestion"),
    (r"\bhow much (would|will|do) you (love|enjoy|like|want)\b|^how (excited|eager|thrilled|keen|grateful|proud|lucky|relieved)\b",
     "presupposes the feeling it asks about ('how much would you love')"),
    (r"\b(i'm sure|i assume|i take it|i bet|we all know|everyone knows|you'd agree|you agree that)\b|"
     r"(^|,\s*)you must (be|feel|have been)\b", "puts the answer in the person's mouth ('I'm sure you...')"),
    (r"\bwhat's (wrong|the problem) with\b", "presupposes something is wrong"),
]

# A short "why" probe into the first answer ("..., and why?", "..., and what made it go well?") asks for the
# reason behind the same answer, not for a second one; the knowledge-format example uses this form.
ANAPHORIC_PROBE = re.compile(r"^(why|how come)(\s+(is|was|does|did) (that|it|this)( \w+)?)?\W*$|"
                             r"^what (made|makes|helped|would make|drives|drove) (it|that|this|them)\b|"
                             r"^how did you (handle|deal with|manage|approach|cope with|respond to|tackle) (that|it|this|them)\b")
# Words that begin an embedded clause ("what you enjoy"): a "wh" after them is an object, not a new question.
EMBEDDED_SUBJECTS = {"you", "i", "we", "they", "he", "she", "it", "the", "a", "an", "your", "my", "our", "their",
                     "his", "her", "this", "that", "these", "those", "to", "people", "others", "someone", "else"}
# A second interrogative clause joined by a conjunction ("... and what would you change?").
JOINED_CLAUSE = re.compile(
    r"(?:,\s*|\s)(?:and|or|but)\s+(?:also\s+)?((?:what|how|why|where|when|who|which)(?:'s)?(?:\s+else)?\s+(\S+)[^,;]*)")
JOINED_YES_NO = re.compile(r"(?:,\s*|\s)(?:(?:and|or|but)\s+(do|does|did|are|is|was|were|have|has|would|could|can|will)"
                           r"\s+(you|they|we|he|she)|and\s+(is|are|was|were)\s+(your|the|it|there))\s+\w+")
# Two prompts joined ("walk me through X and tell me Y") or one feeling asked of two subjects ("about A and about B").
JOINED_PROMPT = re.compile(r"\b(and|then|also) (tell me|walk me through|talk me through|describe|explain|share)\b|"
                           r"\babout\b[^?]{3,}\band (also )?about\b")
# "Which ..., A or B?" and "would you rather A or B?" offer a pick between named options.
CHOICE = re.compile(r"^(which|what|would you rather|do you prefer)\b.*,\s*([^,\s]+(?: [^,\s]+){0,4}) or "
                    r"([^,\s]+(?: [^,\s]+){0,4})\?$")


class QuestionCheck(BaseModel):
    """The verdict on one question: open, leading, double-barrelled, and why."""

    text: str = Field(description="the text as given")
    open: bool = Field(description="invites a free answer rather than yes/no, a pick, or a fact")
    leading: bool = Field(description="wording pushes towards one answer")
    double_barrelled: bool = Field(description="asks two things at once")
    ok: bool = Field(description="open, not leading and not double-barrelled")
    reasons: list[str] = Field(default_factory=list, description="human-readable reasons for every flag")


def _normalise(text: str) -> str:
    """Lower-case, straight quotes, stutters and fillers removed, so the patterns see the words said."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\[[^\]]*\]", " ", text)  # transcript notes: [crosstalk], [unintelligible 00:13:12]
    text = re.sub(r"\b(uh-huh|mm+-hmm+|um+|uh+|er+m?|hmm+|mmh)\b,?", " ", text)
    text = re.sub(r"\byou know what\?", " ", text)  # a filler, not a question
    text = re.sub(r"\b([\w']+)(?:-\s?\1\b)+", r"\1", text)  # "is-is", "what- what", "and-and-and"
    text = re.sub(r"\b([a-z]{1,3})-(\1[a-z']*)", r"\2", text)  # "wh-what", "s-smoking", "o-on"
    text = re.sub(r"\b(what|how|why|where|who|when)('s)?-\s?(?=(what|how|why|where|who|when)\b)", "", text)
    text = re.sub(r"\s*(--+|\u2014|\u2013)\s*|(?<=\w)-(\s+|$)|(^|\s)-(?=\w)", ", ", text)  # dashes break clauses
    text = re.sub(r"\byou know,?\s*", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,-")


def _sentences(text: str) -> list[str]:
    """Split on sentence ends, keeping the terminator on each sentence."""
    return [s.strip(" ,-") for s in re.split(r"(?<=[.?!])[\"']?\s+", text) if s.strip(" ,-.")]


def _strip_markers(clause: str) -> str:
    """Drop discourse markers ("so", "okay", "um") at the start of a clause."""
    clause = clause.strip(" ,.-\"'")
    changed = True
    while changed:
        changed = False
        for marker in DISCOURSE_MARKERS:
            if clause == marker or clause.startswith(marker + " ") or clause.startswith(marker + ","):
                if marker == "tell me" and not re.match(r"tell me,", clause):
                    continue  # "tell me about ..." is itself the prompt; only "tell me, <question>" is a preface
                clause = clause[len(marker):].strip(" ,.-")
                changed = True
    return clause


def _classify_clause(clause: str, final: bool, first: bool) -> tuple[str, str] | None:
    """('open'|'closed', reason) for a clause that decides the question, else None."""
    clause = _strip_markers(clause)
    words = clause.split()
    if not words:
        return None
    head = " ".join(words[:3]).rstrip("?,")
    second = words[1].rstrip("?,") if len(words) > 1 else ""
    if ASK_PREFACE.match(clause) and not final:
        return None
    if PERMISSION.match(clause):
        return "closed", f"permission question ('{head}'): answerable yes/no"
    if OPEN_REQUESTS.match(clause):
        return "open", f"request to talk ('{head}...')"
    if EMBEDDED_YES_NO.match(clause):
        return "closed", "embedded 'I wonder if...': answerable yes/no"
    if OPEN_PROMPTS.match(clause):
        return "open", f"prompt or embedded wh-question ('{head}...')"
    if FACT_QUESTIONS.match(clause):
        return "closed", f"'{' '.join(words[:2])}' asks for a fact"
    wh = WH_START.match(clause)
    if wh:
        word = wh.group(0)
        if word == "which" and not first or word in ("which", "when", "where", "who") and second in SUBJECTS:
            return None  # a relative or scene-setting clause: "..., which is ...", "when you think about it, ..."
        return "open", f"starts with '{word.capitalize()}': a wh-question"
    if words[0] in SUBORDINATORS or clause.startswith(("in terms of", "on a scale")):
        return None
    if words[0] in YES_NO_AUXILIARIES and second in SUBJECTS:
        if len(words) <= 2 and not final:
            return None  # a false start the speaker abandons: "Is it-- why'd she leave?"
        either_or = " or " in clause and "or not" not in clause
        kind = "either/or choice" if either_or else "answerable yes/no"
        return "closed", f"starts with '{words[0].capitalize()} {second}': {kind}"
    return None


def _classify_sentence(sentence: str) -> tuple[str, str] | None:
    """Decide one sentence by its first deciding clause; a question mark with none decides 'closed'."""
    asks = sentence.endswith("?")
    if asks and SCALE.search(sentence):
        return "closed", "asks for a number on a scale"
    if asks and CHOICE.match(_strip_markers(sentence)) and not TRAILING_OR.search(sentence.rstrip("?")):
        return "closed", "offers a pick between named options"
    if TRAILING_OR.search(sentence.rstrip("?")):
        return "open", "trailing 'or?' leaves the answer open"
    if TAG_QUESTION.search(sentence) and not WH_START.match(_strip_markers(sentence)):
        return "closed", "tag question ('..., right?'): asks for agreement"
    clauses = [c for c in (_strip_markers(c) for c in re.split(r"[,;:]\s*", sentence)) if c.strip(" ?.!")]
    verdicts = [_classify_clause(c, final=i == len(clauses) - 1, first=i == 0) for i, c in enumerate(clauses)]
    decided = [v for v in verdicts if v]
    if decided:
        return decided[-1]  # speakers repair towards the question they want answered: the last one counts
    if asks and LATE_WH.search(sentence):
        return "open", "ends in a wh-question"
    if not asks and PROMPT_ANYWHERE.search(sentence):
        return "open", "asks the person to tell or describe"
    if asks:
        return "closed", "a statement with a question mark: answerable yes/no"
    return None


def _question_sentences(text: str) -> list[str]:
    """The sentences that ask: those ending in '?', else the whole text's sentences (imperative prompts)."""
    sentences = _sentences(_normalise(text))
    asked = [s for s in sentences if s.endswith("?") or OPEN_PROMPTS.match(_strip_markers(s))]
    return asked or sentences


def _open_verdict(text: str) -> tuple[bool, str]:
    """Open or not, with the reason, judged on the last question sentence that decides."""
    verdicts = [v for v in (_classify_sentence(s) for s in _question_sentences(text)) if v]
    if not verdicts:
        return False, "no question or prompt found"
    verdict = verdicts[-1]  # the last question asked is the one the person answers (best on the tuning split)
    return verdict[0] == "open", verdict[1]


def _leading_reasons(text: str) -> list[str]:
    """Reasons the wording pushes towards one answer."""
    reasons = []
    for sentence in _question_sentences(text):
        core = _strip_markers(sentence)
        for pattern, reason in LEADING_PATTERNS:
            if re.search(pattern, core) and reason not in reasons:
                reasons.append(reason)
        tag = "a tag ('..., right?') pushes towards agreement"
        if TAG_QUESTION.search(sentence) and tag not in reasons:
            reasons.append(tag)
    return reasons


def _double_reasons(text: str) -> list[str]:
    """Reasons the item asks two things at once."""
    normalised = _normalise(text)
    if normalised.count("?") >= 2:
        return [f"{normalised.count('?')} question marks: ask one question at a time"]
    for sentence in _question_sentences(text):
        for match in JOINED_CLAUSE.finditer(sentence):
            clause, after = match.group(1), match.group(2).strip("?,.")
            if after not in EMBEDDED_SUBJECTS and not ANAPHORIC_PROBE.match(clause.strip(" ?")):
                return [f"two questions joined ('... {match.group(0).strip(' ,')[:40]}'): split them"]
        match = JOINED_YES_NO.search(sentence) or JOINED_PROMPT.search(sentence)
        if match:
            return [f"a second question joined ('... {match.group(0).strip(' ,')}'): split them"]
    return []


def classify_open(text: str) -> bool:
    """Whether a therapist's, coach's or manager's utterance asks an open question."""
    return _open_verdict(text)[0]


def check_question(text: str) -> QuestionCheck:
    """Check one question: open, leading, double-barrelled; `ok` when it is open and neither of the others."""
    is_open, open_reason = _open_verdict(text)
    leading = _leading_reasons(text)
    double = _double_reasons(text)
    reasons = ([] if is_open else [open_reason]) + leading + double
    return QuestionCheck(text=text, open=is_open, leading=bool(leading), double_barrelled=bool(double),
                         ok=is_open and not leading and not double, reasons=reasons)


__all__ = ["QuestionCheck", "check_question", "classify_open"]
