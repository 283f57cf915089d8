"""The feedback-language check: does a piece of feedback name a behaviour, its impact and a next step, and does it
judge the person? Stages as code over the rules in `vocabulary.yaml`: split into sentences, mark the forward-looking
ones, match each list, then suggest rewrites for judgements and for what is missing."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from coach.errors import InvalidInput
from coach.feedback.learned import Embedder, load_feedback_judge, split_sentences
from coach.feedback.vocabulary import Rule, Vocabulary, load_vocabulary

MAX_FEEDBACK_CHARS = 5000
Flag = Literal["behaviour", "impact", "next_step", "judgement"]
_OBSERVATION = re.compile(r"\bfor example\b|\bi(?:'ve| have)? (?:noticed|seen|saw|heard)\b", re.IGNORECASE)

MISSING_ADVICE: dict[str, str] = {
    "behaviour": "Name what the person did: when, where, and what you saw or heard "
                 "(\"in Tuesday's review you approved three PRs without comments\").",
    "impact": "Say what it changed for the team, the customer or the work "
              "(\"it delayed the release by two days\", \"the client stopped asking questions\").",
    "next_step": "Say what to keep or change next time (\"next sprint, please add two specific comments per PR\").",
}


class FeedbackSpan(BaseModel):
    """Where in the text a rule matched, so a reader can see why a flag was set."""

    flag: Flag = Field(description="The flag this match supports.")
    start: int = Field(description="Offset of the first character in the text.")
    end: int = Field(description="Offset after the last character.")
    text: str = Field(description="The matched words, verbatim.")
    rule: str = Field(description="The vocabulary rule that matched (list:line, trait:word or judgement:id).")


class FeedbackSuggestion(BaseModel):
    """A rewrite for a judgement, or advice for a missing component."""

    kind: Literal["rewrite", "missing"] = Field(description="'rewrite' for a judgement, 'missing' for a component.")
    flag: Flag = Field(description="The flag the suggestion is about.")
    quote: str | None = Field(None, description="The judging words, verbatim (rewrites only).")
    message: str = Field(description="What to write instead.")


class FeedbackVerdict(BaseModel):
    """What the check found in one piece of feedback."""

    behaviour: bool = Field(description="Names an observable action or piece of work.")
    impact: bool = Field(description="Names an effect on the team, the customer or the work.")
    next_step: bool = Field(description="Asks for or agrees what to keep or change.")
    judgement: bool = Field(description="Labels the person (trait word, absolute, motive, verdict).")
    complete: bool = Field(description="Behaviour, impact and next step present and no judgement.")
    spans: list[FeedbackSpan] = Field(default_factory=list, description="Every rule match, in text order.")
    suggestions: list[FeedbackSuggestion] = Field(default_factory=list, description="Rewrites, then missing parts.")
    source: Literal["rules", "rules+learned"] = Field(
        "rules", description="'rules+learned' when the learned judge (coach/feedback/learned.py) also read it.")


def _first(rules: tuple[Rule, ...], sentence: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in rules:
        match = rule.regex.search(sentence)
        if match:
            return rule, match
    return None


def _span(flag: Flag, offset: int, rule: Rule, match: re.Match[str], original: str) -> FeedbackSpan:
    start, end = offset + match.start(), offset + match.end()
    return FeedbackSpan(flag=flag, start=start, end=end, text=original[start:end], rule=rule.name)


LEARNED_REWRITE = ("This reads as a judgement of the person rather than of what they did: say what happened, "
                   "where, and what it changed, and leave the label out.")


def check_feedback(text: str, vocabulary: Vocabulary | None = None, *, embedder: Embedder | None = None) -> FeedbackVerdict:
    """Check one piece of feedback; raises InvalidInput for empty or over-long text.

    With `embedder` (the engine's embeddings), the learned judge reads every sentence too, and a flag is set when a
    rule matches or the judge is sure enough of a sentence; without it, the rules alone answer."""
    if not text or not text.strip():
        raise InvalidInput("text: must not be empty", field="text")
    if len(text) > MAX_FEEDBACK_CHARS:
        raise InvalidInput(f"text: at most {MAX_FEEDBACK_CHARS} characters (got {len(text)})", field="text")
    vocab = vocabulary or load_vocabulary()
    normal = text.replace("’", "'").replace("‘", "'")  # same length: offsets stay valid
    spans: list[FeedbackSpan] = []
    rewrites: list[FeedbackSuggestion] = []
    for offset, sentence in split_sentences(normal):  # the sentences the judge reads too
        forward = _first(vocab.prescriptive, sentence)
        if forward:
            spans.append(_span("next_step", offset, *forward, text))
        if not forward or _OBSERVATION.search(sentence):
            found = _first(vocab.behaviour, sentence)
            if found:
                spans.append(_span("behaviour", offset, *found, text))
        found = _first(vocab.impact, sentence)
        if found:
            spans.append(_span("impact", offset, *found, text))
        for rule in vocab.traits + vocab.judgements:
            match = rule.regex.search(sentence)
            if not match:
                continue
            span = _span("judgement", offset, rule, match, text)
            spans.append(span)
            quote = match.groupdict().get("word") or span.text
            if rule.name.startswith("trait:"):
                message = (f"Instead of '{quote}', describe what happened: {rule.hint} "
                           "(\"the report was due on ... and arrived on ...; it delayed ...\").")
            else:
                message = rule.hint
            rewrites.append(FeedbackSuggestion(kind="rewrite", flag="judgement", quote=quote, message=message))
    flags = {flag: any(s.flag == flag for s in spans) for flag in ("behaviour", "impact", "next_step", "judgement")}
    judge = load_feedback_judge() if embedder is not None else None
    if judge is not None:
        for offset, sentence, probability in judge.sentence_probabilities(text, embedder):
            for flag in flags:
                if flags[flag] or probability[flag] < judge.threshold:
                    continue  # a flag a rule set keeps the rule's spans; the judge only adds what no rule found
                spans.append(FeedbackSpan(flag=flag, start=offset, end=offset + len(sentence), text=sentence,
                                          rule=f"learned:{flag}:{probability[flag]:.2f}"))
                if flag == "judgement":
                    rewrites.append(FeedbackSuggestion(kind="rewrite", flag="judgement", quote=sentence,
                                                       message=LEARNED_REWRITE))
        flags = {flag: any(s.flag == flag for s in spans) for flag in flags}
    missing = [FeedbackSuggestion(kind="missing", flag=flag, message=advice)  # type: ignore[arg-type]
               for flag, advice in MISSING_ADVICE.items() if not flags[flag]]
    return FeedbackVerdict(**flags, complete=flags["behaviour"] and flags["impact"] and flags["next_step"]
                           and not flags["judgement"], spans=sorted(spans, key=lambda s: s.start),
                           suggestions=rewrites + missing, source="rules+learned" if judge is not None else "rules")
